"""Korean text in Latin letters: the Revised Romanization (2000), and personal names
as they are written in English (surname first, usual surname spellings).

Stage: model (a pure helper of the later stages). May import: stdlib.

Kept apart from `scaffold` (which makes slugs with it) so that the graph, which writes
English pages, can romanize contact names without importing a command.
"""

from __future__ import annotations

import re

_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h")
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i")
# Finals in Unicode order: none ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
"""A final before a consonant or at the end of a word: its representative sound."""
_LINKED_FINALS = ("", "g", "kk", "ks", "n", "nj", "n", "d", "r", "lg", "lm", "lb", "ls", "lt",
                  "lp", "r", "m", "b", "ps", "s", "ss", "ng", "j", "ch", "k", "t", "p", "")
"""A final before a syllable starting with the silent ㅇ: it is sounded as that syllable's
first consonant (찾아 [차자] chaja, 협약 [혀뱍] hyeobyak, 좋아 [조아] joa)."""
_NASAL = {"k": "ng", "t": "n", "p": "m"}
_G, _N, _D, _R, _M, _J, _SILENT = 0, 2, 3, 5, 6, 12, 11
_H_FINALS = {27: "", 6: "n", 15: "l"}
"""ㅎ ㄶ ㅀ: before ㄱ ㄷ ㅈ the ㅎ makes them aspirated (좋고 joko, 많다 manta)."""
_ASPIRATED = {_G: "k", _D: "t", _J: "ch"}
_FIRST, _COUNT = 0xAC00, 11172


def _jamo(char: str) -> tuple[int, int, int] | None:
    """(initial, vowel, final) indexes of a Hangul syllable, or None."""
    code = ord(char) - _FIRST
    return (code // 588, (code // 28) % 21, code % 28) if 0 <= code < _COUNT else None


def _boundary(final: int, initial: int, vowel: int) -> tuple[str, str]:
    """How a final and the next syllable's initial are written together, as pronounced."""
    if not final:
        return "", _INITIALS[initial]
    if initial == _SILENT:  # liaison; ㄷ ㅌ before 이 are palatalized (해돋이, 같이)
        if vowel == 20 and final in (7, 25):
            return ("j" if final == 7 else "ch"), ""
        return _LINKED_FINALS[final], ""
    if final in _H_FINALS and initial in _ASPIRATED:
        return _H_FINALS[final], _ASPIRATED[initial]
    sound = _FINALS[final]
    if initial == _R:  # 설립 seollip, 신라 silla, 종로 jongno, 협력 hyeomnyeok
        if sound in ("l", "n"):
            return "l", "l"
        return _NASAL.get(sound, sound), "n"
    if initial in (_N, _M):  # 설날 seollal; 국민 gungmin, 없는 eomneun, 합니다 hamnida
        if sound == "l" and initial == _N:
            return "l", "l"
        return _NASAL.get(sound, sound), _INITIALS[initial]
    return sound, _INITIALS[initial]


def romanize(text: str) -> str:
    """Hangul in `text` in the Revised Romanization of Korean (2000); other text unchanged.

    Written here rather than taken from `hangul-romanize` 0.1.0: that package's only
    rule, `academic`, is a letter-by-letter transliteration (reversible, Yale-like):
    찾아가는 -> 'chaj-aganeun', 협약 -> 'hyeob-yag', 복지 -> 'bogji', where the Revised
    Romanization that road signs and official English names use gives 'chajaganeun',
    'hyeobyak', 'bokji'. This function follows the official tables and rules:

    - initials g kk n d tt r m b pp s ss j jj ch k t p h, ㅇ silent; vowels a ae ya
      yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i;
    - a final consonant is written as its representative sound (k n t l m p ng) before
      a consonant or at the end of a word, and carried over to the next syllable when
      that starts with the silent ㅇ (찾아 -> chaja; a final ㅎ is then silent);
    - within a word, the regular sound changes between consonants are written as
      pronounced: nasalization (국민 gungmin), ㄹ after other consonants (종로 jongno,
      협력 hyeomnyeok), ㄹ with ㄴ or ㄹ (신라 silla, 설날 seollal, 울릉 ulleung),
      palatalization (같이 gachi) and aspiration after a final ㅎ (좋고 joko).

    Not applied, as the rules leave them to the word: ㄴ insertion (학여울 hangnyeoul),
    ㄴ+ㄹ read as nn (생산량 saengsannyang), aspiration of ㄱ ㄷ ㅂ before ㅎ (kept as h,
    the rule for nouns: 묵호 mukho); tensing is never written. A writer who wants another
    address gives --slug.
    """
    syllables = [_jamo(char) for char in text]
    out: list[str] = []
    for index, char in enumerate(text):
        jamo = syllables[index]
        if jamo is None:
            out.append(char)
            continue
        initial, vowel, final = jamo
        before = syllables[index - 1] if index else None
        head = _boundary(before[2], initial, vowel)[1] if before else _INITIALS[initial]
        after = syllables[index + 1] if index + 1 < len(text) else None
        tail = _boundary(final, after[0], after[1])[0] if after else _FINALS[final]
        out.append(head + _VOWELS[vowel] + tail)
    return "".join(out)


SURNAMES = {
    "김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jeong", "강": "Kang",
    "조": "Cho", "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh",
    "서": "Seo", "신": "Shin", "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song",
    "류": "Ryu", "유": "Yoo", "전": "Jeon", "홍": "Hong", "고": "Ko", "문": "Moon",
    "양": "Yang", "손": "Son", "배": "Bae", "백": "Baek", "허": "Heo", "노": "Noh",
    "심": "Shim", "하": "Ha", "곽": "Kwak", "성": "Sung", "차": "Cha", "주": "Joo",
    "우": "Woo", "구": "Koo", "나": "Na", "민": "Min", "진": "Jin", "지": "Ji",
    "엄": "Eom", "채": "Chae", "원": "Won", "천": "Cheon", "방": "Bang", "공": "Kong",
    "현": "Hyun", "함": "Ham", "변": "Byun", "염": "Yeom", "여": "Yeo", "추": "Choo",
    "도": "Do", "소": "So", "석": "Seok", "선": "Sun", "설": "Seol", "마": "Ma",
    "길": "Gil", "연": "Yeon", "위": "Wi", "표": "Pyo", "명": "Myung", "기": "Ki",
    "반": "Ban", "왕": "Wang", "금": "Geum", "옥": "Ok", "육": "Yuk", "인": "In",
    "맹": "Maeng", "제": "Je", "모": "Mo", "탁": "Tak", "국": "Kook", "어": "Eo",
    "은": "Eun", "편": "Pyeon", "용": "Yong", "남궁": "Namgung", "황보": "Hwangbo",
    "제갈": "Jegal", "선우": "Seonu", "독고": "Dokgo", "사공": "Sagong", "서문": "Seomun",
}
"""Surnames as their bearers usually write them in English (passports, name cards),
which is not always the Revised Romanization (이 Lee, not I; 박 Park, not Bak)."""
_HANGUL_NAME = re.compile("[\uac00-\ud7a3]{2,5}")


def romanize_name(name: str) -> str | None:
    """A Korean personal name (surname first, 2 to 5 syllables, Hangul only) as written
    in English: 송미란 -> 'Song Mi-ran'; None for anything else (a name in Latin letters,
    a title, a team), which is then shown as written.

    The given name's syllables are romanized one by one and joined with a hyphen, as
    the Revised Romanization allows for names (no sound changes across syllables)."""
    name = name.strip()
    if not _HANGUL_NAME.fullmatch(name):
        return None
    surname = name[:2] if len(name) > 3 and name[:2] in SURNAMES else name[0]
    given = name[len(surname):]
    family = SURNAMES.get(surname) or romanize(surname).capitalize()
    return f"{family} {'-'.join(romanize(s) for s in given).capitalize()}"
