"""One CJK font for every chart the sandbox draws (the bulletin today; any chart tomorrow).

Chinese text needs a CJK font, else matplotlib draws boxes — or, with a hard-coded font path that is
missing, crashes. :func:`cjk_font` asks fontconfig (``fc-match``/``fc-list``, the system's own answer)
and matplotlib's font manager for a font that covers Chinese, registers it with matplotlib and
returns its family name. :func:`use_cjk_font` makes matplotlib use it; without any CJK font it
warns (:class:`NoCJKFontWarning`, a Chinese message naming the package to install) and the caller
draws and writes its files anyway.
"""
from __future__ import annotations

import shutil
import subprocess
import warnings
from functools import lru_cache
from pathlib import Path

__all__ = ["cjk_font", "use_cjk_font", "NoCJKFontWarning", "NO_FONT_MESSAGE", "FAMILY_CANDIDATES"]

# Families known to cover Simplified Chinese, in order of preference (Debian: fonts-wqy-microhei first).
FAMILY_CANDIDATES = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
                     "Source Han Sans SC", "Noto Sans CJK JP", "Droid Sans Fallback", "AR PL UMing CN",
                     "SimHei", "Microsoft YaHei")
NO_FONT_MESSAGE = ("没有找到中文字体，图中的中文将显示为方框（文件照常生成）。请管理员安装中文字体："
                   "apt-get install fonts-wqy-microhei")


class NoCJKFontWarning(UserWarning):
    """No font that covers Chinese: charts are drawn anyway, their Chinese text as boxes."""


def _fontconfig_files() -> list[str]:
    """Font files fontconfig says cover Chinese (``:lang=zh-cn``), best match first; [] without fontconfig."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True, timeout=20,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = [line.split(":")[0].strip() for line in out.splitlines() if line.strip()]
    return sorted(f for f in files if Path(f).suffix.lower() in (".ttf", ".ttc", ".otf"))


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of a CJK font registered with matplotlib, or None when the machine has none."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in FAMILY_CANDIDATES:  # already known to matplotlib's font cache
        if family in installed:
            return family
    found: dict[str, str] = {}
    for path in _fontconfig_files():  # fonts matplotlib's cache has not seen (installed since)
        try:
            font_manager.fontManager.addfont(path)
            found.setdefault(font_manager.FontProperties(fname=path).get_name(), path)
        except (OSError, RuntimeError, ValueError):
            continue  # an unreadable file: try the next
    for family in FAMILY_CANDIDATES:
        if family in found:
            return family
    return next(iter(found), None)


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese with :func:`cjk_font`; returns the family, or None after a warning."""
    import matplotlib.pyplot as plt

    family = cjk_font()
    plt.rcParams["axes.unicode_minus"] = False
    if family is None:
        warnings.warn(NO_FONT_MESSAGE, NoCJKFontWarning, stacklevel=2)
        return None
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["font.sans-serif"] = [family] + [f for f in plt.rcParams["font.sans-serif"] if f != family]
    return family
