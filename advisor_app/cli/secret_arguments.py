"""Secrets are never typed as arguments: the shell's history and the list of processes (`ps`)
would show them to anyone. `--password P` or `--passphrase P` (or a shortening of either,
which argparse would otherwise take for `--password-file P` and print back in an error) is
refused before anything else, for every command; the secret itself is never repeated.
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor_app.domain.messages import N_

PASSWORD_REFUSED = N_(
    "Passwords are never typed on the command line: use --password-file or the prompt."
)
PASSPHRASE_REFUSED = N_(
    "Passphrases are never typed on the command line: use --passphrase-file or the prompt."
)
_REFUSED = {"--password": PASSWORD_REFUSED, "--passphrase": PASSPHRASE_REFUSED}


def secret_in_arguments(arguments: Sequence[str]) -> str | None:
    """The refusal (a message id) when an argument gives a password or a passphrase."""
    for argument in arguments:
        if argument == "--":
            break
        option = argument.split("=", 1)[0]
        if not option.startswith("--pas"):
            continue
        for name, refusal in _REFUSED.items():
            if name.startswith(option):
                return refusal
    return None
