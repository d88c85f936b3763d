"""Where a name from OpenReview splits into given and family names, when no rule of
`split_name` would split it right."""

from __future__ import annotations

from proceedings.texts import split_name

# Chinese and Korean family names of two characters; a name written without a space that starts
# with one of these is split after it, not after the first character.
COMPOUND_SURNAMES = tuple(
    "欧阳 歐陽 司马 司馬 诸葛 諸葛 上官 司徒 东方 東方 夏侯 皇甫 尉迟 尉遲"
    " 公孙 公孫 慕容 长孙 長孫 宇文 令狐 轩辕 軒轅 南宫 南宮 端木 申屠"
    " 남궁 황보 제갈 선우 독고".split()
)


def _is_cjk(text: str) -> bool:
    return bool(text) and all(
        "\u4e00" <= char <= "\u9fff"  # CJK unified ideographs
        or "\u3400" <= char <= "\u4dbf"  # extension A
        or "\u3040" <= char <= "\u30ff"  # kana
        or "\uac00" <= char <= "\ud7af"  # hangul
        for char in text
    )


def _name_override(name: str) -> tuple[str, str] | None:
    """(given, family) where `split_name` would split `name` wrongly or not at all."""
    words = name.split()
    if len(words) > 1 and all(_is_cjk(word) for word in words):
        return " ".join(words[1:]), words[0]  # "山田 太郎": family name first
    if len(words) == 1 and _is_cjk(name):
        for surname in COMPOUND_SURNAMES:
            if name.startswith(surname) and len(name) > len(surname):
                return name[len(surname) :], surname
        return None
    if split_name(name) is None:
        return "", name  # one name only: it is the family name
    return None


def _uncertain_cjk_split(name: str) -> bool:
    """A CJK name without spaces whose family name may be longer than one character."""
    has_kana = any("\u3040" <= char <= "\u30ff" for char in name)
    return _is_cjk(name) and (len(name) >= 4 or has_kana)
