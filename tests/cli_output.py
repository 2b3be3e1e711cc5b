"""Reading what the command line prints, for the tests."""

from __future__ import annotations


def unwrapped(text: str) -> str:
    """``validate``'s output with each wrapped item on one line again: its lines wrap at 80
    characters (formatting.wrapped), a continuation two spaces under its item ("  - …" at 2,
    continued at 4; a line at the margin continued at 2). Tests that read one problem per line
    read them so; tests/test_validate_wrap.py checks the wrapping itself."""
    lines: list[str] = []
    item = 0  # the indent of the line the last lines continue
    for line in text.split("\n"):
        lead = len(line) - len(line.lstrip(" "))
        continued = lead == item + 2 and not line.lstrip(" ").startswith("- ")
        if lines and line.strip() and continued and lines[-1].strip():
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
            item = lead
    return "\n".join(lines)
