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


def _create_iam_user(keys_path):
    """Create, through moto's IAM backend, a user allowed every action of the services the
    authenticated tests call (Direct Connect, SNS, EC2, CloudWatch, CloudWatch Logs), and write its access key
    id and secret (one per line) to `keys_path`. With INITIAL_NO_AUTH_ACTION_COUNT=0 moto
    then checks every request's SigV4 signature against these credentials, so a request
    signed wrongly fails. moto names the action by the signing name of the credential scope,
    so CloudWatch's actions are `monitoring:*` there (`cloudwatch:*` on AWS)."""
    import json

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.iam.models import iam_backends

    iam = iam_backends[DEFAULT_ACCOUNT_ID]["global"]
    iam.create_user("us-east-1", "e2e-signer", "/")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "directconnect:*",
                    "sns:*",
                    "ec2:*",
                    "monitoring:*",
                    "cloudwatch:*",
                    "logs:*",
                ],
                "Resource": "*",
            }
        ],
    }
    iam.put_user_policy("e2e-signer", "directconnect", json.dumps(policy))
    key = iam.create_access_key("e2e-signer")
    tmp = keys_path + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{key.access_key_id}\n{key.secret_access_key}\n")
    os.replace(tmp, keys_path)


if __name__ == "__main__":
    from moto.server import main

    if os.environ.get("E2E_MOTO_KEYS_FILE"):
        _create_iam_user(os.environ["E2E_MOTO_KEYS_FILE"])

    threading.Thread(target=_exit_with_parent, daemon=True).start()

    sys.argv[0] = re.sub(r"(-script\.pyw|\.exe)?$", "", sys.argv[0])
    sys.exit(main())
