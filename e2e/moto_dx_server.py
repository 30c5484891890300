"""moto's server, with its Direct Connect responses put in AWS's wire format.

Run as `.venv/bin/python e2e/moto_dx_server.py -p PORT -H 127.0.0.1`; the
arguments are moto_server's own.

moto 5.2.5's directconnect backend serialises two members of `Connection`
and `Lag` with the wrong JSON type for the awsJson1.1 protocol:

* `hasLogicalRedundancy` is a JSON boolean (`false`); the model
  (`HasLogicalRedundancy`) is a string enum: "unknown" | "yes" | "no".
* `loaIssueTime` is a string like "2026-11-25 21:32:25" (local time); the
  model (`LoaIssueTime`) is a timestamp, which awsJson1.1 sends as epoch
  seconds (a JSON number).

boto3 tolerates both; a client that decodes the model's types strictly, like
the official Rust SDK, rejects the whole response. This wrapper converts the
two members (false -> "no", true -> "yes"; the time string -> epoch seconds)
and changes nothing else: every value, state transition and error still
comes from moto itself.
"""

import os
import re
import sys
import threading
import time
from datetime import datetime

from moto.directconnect import models as _dx


def _fix(d):
    hlr = d.get("hasLogicalRedundancy")
    if isinstance(hlr, bool):
        d["hasLogicalRedundancy"] = "yes" if hlr else "no"
    loa = d.get("loaIssueTime")
    if isinstance(loa, str):
        # moto writes datetime.now() (naive local time) with this format.
        d["loaIssueTime"] = int(datetime.strptime(loa, "%Y-%m-%d %H:%M:%S").timestamp())
    return d


def _patch(cls):
    original = cls.to_dict

    def to_dict(self, *args, **kwargs):
        return _fix(original(self, *args, **kwargs))

    cls.to_dict = to_dict


# LAG.to_dict embeds Connection.to_dict for its connections, so both are fixed.
_patch(_dx.Connection)
_patch(_dx.LAG)


def _exit_with_parent():
    """Stop when the test process that started us is gone (killed, say,
    before its MotoServer could be dropped), instead of lingering."""
    parent = os.getppid()
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(0)


if __name__ == "__main__":
    from moto.server import main

    threading.Thread(target=_exit_with_parent, daemon=True).start()

    sys.argv[0] = re.sub(r"(-script\.pyw|\.exe)?$", "", sys.argv[0])
    sys.exit(main())
