"""Text inside SVG charts: SVG never wraps, so labels are broken into lines here, on word
boundaries, and every word is kept (a chart that cuts a name leaves readers guessing)."""

import textwrap

# Wider than the average glyph of the sans-serif fonts the site and WeasyPrint use, so a
# box sized from this estimate holds its text on screen and in the PDF.
CHAR_WIDTH = 0.62


def wrap(text: str, width: int) -> list[str]:
    """The text in lines of at most `width` characters where words allow; a longer word
    gets a line of its own, whole. Never an ellipsis, never a cut word."""
    lines = textwrap.wrap(
        " ".join(text.split()), width, break_long_words=False, break_on_hyphens=False
    )
    return lines or [""]


def text_width(line: str, font_size: float) -> float:
    """A generous estimate of a line's drawn width, in px."""
    return len(line) * font_size * CHAR_WIDTH
