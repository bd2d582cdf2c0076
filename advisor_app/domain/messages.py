"""Marks a message for translation without translating it (the domain knows no language)."""


def N_(message: str) -> str:
    """Return `message` unchanged; `pybabel extract -k N_` collects it for the catalogues."""
    return message
