"""What a ``Host`` header (or the host part of a URL) may be: a host name, an IPv4 address or an
IPv6 literal in brackets, with an optional port.

Read in one pass, with no regular expression: the text is refused past 260 characters (253 for
the name, one trailing dot, ``:65535``) before anything else looks at it, then split on ':' and
'.' and each label checked on its own. The time is linear in the text, whatever it holds (a
nested-quantifier pattern here once took 23 s on ``'a' * 28 + '!'`` and froze the server: issue 19).
"""

from __future__ import annotations

import ipaddress
import string
from typing import NamedTuple

MAX_NAME = 253  # characters of a DNS name, without its trailing dot (RFC 1035)
MAX_LABEL = 63
MAX_PORT = 65535
MAX_TEXT = MAX_NAME + 1 + len(f":{MAX_PORT}")
LABEL_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-")
DIGITS = frozenset(string.digits)


class Host(NamedTuple):
    name: str  # lower case; an IPv6 literal keeps its brackets; no trailing dot
    port: int | None


def parse_host(text: str) -> Host | None:
    """``Host("example.org", 8001)`` for ``"Example.org.:8001"``; ``None`` for anything that is no host."""
    if not text or len(text) > MAX_TEXT:
        return None
    if text.startswith("["):
        literal, bracket, rest = text[1:].partition("]")
        if not bracket or not is_ipv6(literal):
            return None
        name = f"[{literal.lower()}]"
    else:
        name = text.partition(":")[0]
        rest = text[len(name):]
        if not is_host_name(name):
            return None
        name = name.lower().rstrip(".")
    if not rest:
        return Host(name, None)
    port = parse_port(rest[1:]) if rest.startswith(":") else None
    return None if port is None else Host(name, port)


def is_host_name(name: str) -> bool:
    """A DNS name (or a dotted IPv4 address): labels of 1-63 letters, digits and '-', neither
    first nor last a '-', at most 253 characters; one trailing dot allowed."""
    if name.endswith("."):
        name = name[:-1]
    if not name or len(name) > MAX_NAME:
        return False
    for label in name.split("."):
        if not (0 < len(label) <= MAX_LABEL and label[0] != "-" and label[-1] != "-"
                and LABEL_CHARACTERS.issuperset(label)):
            return False
    return True


def is_ipv6(literal: str) -> bool:
    if not literal or len(literal) > 45 or not set(literal) <= set(string.hexdigits + ":."):
        return False
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        return False
    return True


def parse_port(text: str) -> int | None:
    if not (0 < len(text) <= 5 and DIGITS.issuperset(text)):
        return None
    port = int(text)
    return port if port <= MAX_PORT else None
