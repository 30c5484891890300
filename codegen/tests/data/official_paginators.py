#!/usr/bin/env python3
"""Writes official_paginators.json: the paginators of official aws-sdk-* crates.

Usage: official_paginators.py CRATE-DIR... > official_paginators.json, where each CRATE-DIR
is the unpacked source of an official crate as cargo fetches it
(~/.cargo/registry/src/*/aws-sdk-dynamodb-1.136.0). smithy-rs writes one
`src/operation/<module>/paginator.rs` per paginated operation; from it are taken the output
token (the `reflens_<module>_output_output_<path>` lens the next token is read through: the
member's field names joined by `_`), the items (the `lens_<module>_output_output_<path>` lens
of `.items()`, or null), the type of `page_size` (or null) and whether paging stops on
`is_truncated` rather than on the token. The SHA-256 of each `.crate` file cargo downloaded
(~/.cargo/registry/cache/*/NAME-VERSION.crate) is recorded.
"""
import glob, hashlib, json, os, re, sys

crates = []
for d in sys.argv[1:]:
    base = os.path.basename(d.rstrip('/'))
    name, version = base.rsplit('-', 1)
    cache = glob.glob(os.path.expanduser('~/.cargo/registry/cache/*/%s.crate' % base))
    sha = hashlib.sha256(open(cache[0], 'rb').read()).hexdigest() if cache else None
    paginators = {}
    for f in sorted(glob.glob(os.path.join(d, 'src/operation/*/paginator.rs'))):
        module = os.path.basename(os.path.dirname(f))
        text = open(f).read()
        token = re.search(r'reflens_%s_output_output_(\w+)\(resp\)' % module, text)
        items = re.search(r'lens_%s_output_output_(\w+)\(page\)' % module, text)
        page_size = re.search(r'pub fn page_size\(mut self, limit: (\w+)\)', text)
        paginators[module] = {
            'output_token': token.group(1) if token else None,
            'items': items.group(1) if items else None,
            'page_size': page_size.group(1) if page_size else None,
            'stops_on_is_truncated': '!resp.is_truncated' in text,
        }
    crates.append({'crate': name, 'version': version, 'crate_sha256': sha,
                   'paginators': paginators})
json.dump({'source': 'crates.io, fetched by cargo; see official_paginators.py', 'crates': crates},
          sys.stdout, indent=1)
print()
