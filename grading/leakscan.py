"""Find hidden-test lines in a feedback text, also when written back reversed, rot13'd, or as
base64 / hex / \\u escapes (issue 12 point 5).

Defence in depth only: feedback notebooks carry no kernel output at all
(grading.preprocessors.StripHiddenTests), so nothing a hook encodes can reach them; this scan is
the last check on the finished HTML before it is released (grading.api feedback).
"""
from __future__ import annotations

import base64
import binascii
import codecs
import re

_B64_RE = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX_RE = re.compile(r"(?:[0-9a-fA-F]{2}){8,}")
_UESC_RE = re.compile(r"(?:\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}){4,}")
_WS_RE = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    return _WS_RE.sub("", text)


def _decoded(text: str) -> list[str]:
    """Texts hidden in ``text`` as base64, hex or escape runs (undecodable runs are skipped)."""
    out = []
    for run in _B64_RE.findall(text):
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                out.append(decode(run + "=" * (-len(run) % 4)).decode("utf-8", "ignore"))
            except (binascii.Error, ValueError):
                pass
    for run in _HEX_RE.findall(text):
        out.append(bytes.fromhex(run).decode("utf-8", "ignore"))
    if _UESC_RE.search(text):
        try:  # the whole text: escaped and plain characters mixed
            out.append(codecs.decode(text.encode("utf-8", "backslashreplace"), "unicode_escape"))
        except UnicodeDecodeError:
            pass
    return out


def forms(text: str) -> list[str]:
    """``text`` in every form the scan looks at, whitespace squeezed out."""
    base = [text, *_decoded(text)]
    base += [_decoded_text for t in list(base) for _decoded_text in _decoded(t[::-1])]
    out = []
    for t in base:
        for variant in (t, t[::-1], codecs.encode(t, "rot13"), codecs.encode(t, "rot13")[::-1]):
            out.append(_squeeze(variant))
    return out


def leaked(text: str, hidden: list[str]) -> list[str]:
    """The hidden lines that appear in ``text`` in any of its forms."""
    all_forms = forms(text)
    return [h for h in hidden if (s := _squeeze(h)) and any(s in f for f in all_forms)]
