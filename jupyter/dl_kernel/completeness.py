"""Whether a cell is ready to run, as dl's lexer (Sources/Script/Syntax/Lexer.swift) sees it.

dl is line-oriented: a newline always ends a statement, and nothing continues one onto the
next line. The one thing left open at the end of a line is a double-quoted string (`\\"` and
`\\\\` escape inside it; `#` outside one starts a comment). So a cell whose last line holds an
unterminated string is "incomplete" (the console offers another line, where the quote can
still be closed by editing the line above), one with an unterminated string on an earlier
line is "invalid" (dl would report it whatever follows), and anything else is "complete":
other mistakes are dl's to report when the cell runs.
"""


def open_string(line: str) -> bool:
    """True when `line` ends inside a double-quoted string."""
    inside = False
    i = 0
    while i < len(line):
        c = line[i]
        if inside:
            if c == "\\" and i + 1 < len(line):
                i += 2
                continue
            if c == '"':
                inside = False
        elif c == '"':
            inside = True
        elif c == "#":
            return False
        i += 1
    return inside


def is_complete(code: str) -> str:
    lines = code.split("\n")
    if any(open_string(line.rstrip("\r")) for line in lines[:-1]):
        return "invalid"
    if open_string(lines[-1].rstrip("\r")):
        return "incomplete"
    return "complete"
