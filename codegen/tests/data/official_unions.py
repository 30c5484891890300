#!/usr/bin/env python3
"""Writes official_unions.json: the union enums of official aws-sdk-* crates.

Usage: official_unions.py CRATE-DIR... > official_unions.json, where each CRATE-DIR is the
unpacked source of an official crate as cargo fetches it
(~/.cargo/registry/src/*/aws-sdk-dynamodb-1.136.0). smithy-rs writes a union as an enum whose
last variant is a unit `Unknown` (string enums have `Unknown(UnknownVariantValue)` instead);
for each, the variants and the methods of its `impl` block are listed, and the SHA-256 of the
`.crate` file cargo downloaded (~/.cargo/registry/cache/*/NAME-VERSION.crate) is recorded.
"""
import glob, hashlib, json, os, re, sys

def unions(text):
    out = {}
    for m in re.finditer(r'pub enum (\w+) \{(.*?)\n\}', text, re.S):
        body = m.group(2)
        if re.search(r'^\s*Unknown,\s*$', body, re.M):
            name = m.group(1)
            start = text.find('impl %s {' % name)
            end = text.find('\n}\n', start)
            out[name] = {
                'variants': sorted(re.findall(r'^    (\w+)\(', body, re.M)),
                'methods': sorted(re.findall(r'pub fn (\w+)\(', text[start:end])),
            }
    return out

crates = []
for d in sys.argv[1:]:
    base = os.path.basename(d.rstrip('/'))
    name, version = base.rsplit('-', 1)
    cache = glob.glob(os.path.expanduser('~/.cargo/registry/cache/*/%s.crate' % base))
    sha = hashlib.sha256(open(cache[0], 'rb').read()).hexdigest() if cache else None
    found = {}
    for f in sorted(glob.glob(os.path.join(d, 'src/types/_*.rs'))):
        found.update(unions(open(f).read()))
    crates.append({'crate': name, 'version': version, 'crate_sha256': sha,
                   'unions': dict(sorted(found.items()))})
json.dump({'source': 'crates.io, fetched by cargo; see official_unions.py', 'crates': crates},
          sys.stdout, indent=1)
print()
