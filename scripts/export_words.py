#!/usr/bin/env python3
"""Export lists of real English and Indonesian words from wordfreq.

The matcher needs to know which words are real words of a language, so that
it corrects only typos and treats an unknown real word as a sign that the
question is about something else (issue 18, section 1). wordfreq ships its
frequency data inside the package, so this runs without network access once
the package is installed.

Each list holds the words whose Zipf frequency is at least the threshold
given for its language, one per line, most frequent first. Words are
lowercased and their accents folded (NFKD without combining marks); only
tokens made of the letters a-z, at least two long, are kept. Spellings that
fold to the same word have their frequencies added.

Regenerate (from the repository root):
    python3 -m venv /tmp/wordfreq-env
    /tmp/wordfreq-env/bin/pip install wordfreq==3.1.1
    /tmp/wordfreq-env/bin/python scripts/export_words.py
"""

import argparse
import importlib.metadata
import re
import sys
import unicodedata
from pathlib import Path

import wordfreq

# Zipf thresholds per language, with the wordfreq list they are read from.
# Indonesian exists only as wordfreq's "small" list, which stops at Zipf 3.0,
# so 3.0 is the lowest threshold it can serve. English comes from the "large"
# list; 2.5 gives a list of a similar order of size.
LISTS = {
    "en": ("large", 2.5),
    "id": ("small", 3.0),
}

LETTERS_ONLY = re.compile(r"[a-z]{2,}")


def fold(word):
    """Lowercase and strip accents, as the matcher normalises questions."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def real_words(lang, wordlist, min_zipf):
    """Folded words at or above min_zipf, most frequent first."""
    freqs = {}
    for word in wordfreq.iter_wordlist(lang, wordlist):
        folded = fold(word)
        if LETTERS_ONLY.fullmatch(folded):
            freqs[folded] = freqs.get(folded, 0.0) + wordfreq.word_frequency(
                word, lang, wordlist
            )
    min_freq = 10 ** (min_zipf - 9)
    kept = [(f, w) for w, f in freqs.items() if f >= min_freq]
    kept.sort(key=lambda fw: (-fw[0], fw[1]))
    return [w for _, w in kept]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("intents/lexicon/words"),
        help="folder for en.txt and id.txt (default: %(default)s)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    version = importlib.metadata.version("wordfreq")
    print(f"wordfreq {version}", file=sys.stderr)
    for lang, (wordlist, min_zipf) in LISTS.items():
        words = real_words(lang, wordlist, min_zipf)
        path = args.out / f"{lang}.txt"
        path.write_text("".join(w + "\n" for w in words), encoding="utf-8")
        print(f"{path}: {len(words)} words (Zipf >= {min_zipf}, {wordlist} list)",
              file=sys.stderr)


if __name__ == "__main__":
    main()
