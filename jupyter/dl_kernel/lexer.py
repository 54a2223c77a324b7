"""A Pygments lexer for dl, registered under the name `dl` (the kernel's
language_info names it as `pygments_lexer`, so nbconvert's HTML and LaTeX exports, and
anything else that asks Pygments, highlight dl cells).

Pygments finds it through the entry point in jupyter/pyproject.toml, so the `dl-kernel`
distribution must be installed in the Python that highlights (`pip install -e jupyter/`,
see scripts/jupyter-install); `from dl_kernel.lexer import DLLexer` works without that.

Tokens: a statement's name at the start of a statement (a line, or after `;`) is a Keyword,
with the second word of a family (`plot loss`, `save model`); `key=` keys are Name.Attribute;
numbers (`0.8`, `1e-3`, `-2`, `20%`) and dimensions (`5x5`, `28x28x1`) are Number; quoted
text is String; `#` to the end of the line is a Comment; `;` and `,` are Punctuation; other
words (`relu`, `iris`, column names) are Name.
"""
from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

__all__ = ["DLLexer", "STATEMENTS", "SECOND_WORDS"]

# The statement table, as `dl -e help` lists it (Tests/Jupyter/test_kernel.py checks that the
# two agree): every statement's first word, and the second words of the multi-word ones.
STATEMENTS = (
    "load", "task", "split", "scale", "window", "augment", "features",
    "head", "tail", "columns", "describe", "missing", "impute", "dropna", "drop", "keep", "target",
    "encode", "outliers", "clip", "corr", "report", "plot",
    "dense", "input", "conv", "pool", "flatten", "dropout", "batchnorm", "activation", "conv1d", "pool1d", "globalpool",
    "lstm", "gru", "rnn", "summary", "save", "export", "reset",
    "loss", "optimizer", "schedule",
    "train", "evaluate", "predict", "sweep", "use", "crossval", "history", "findlr", "importance", "why",
    "set", "show", "explain", "tour", "help", "run", "quit",
)
SECOND_WORDS = {
    "plot": ("loss", "accuracy", "hist", "box", "corr", "boundary", "filters", "sweep", "predictions", "residuals", "roc",
             "confusion", "series", "forecast", "units", "activations"),
    "scale": ("target",),
    "save": ("model", "script"),
    "export": ("onnx", "keras", "torch"),
    "load": ("mnist", "shapes", "waves", "images", "moons", "circles", "xor", "spiral", "blobs", "model"),
    "show": ("image", "state", "keras", "torch", "augment", "mistakes"),
}

_END = r"(?=[\s;#]|$)"


class DLLexer(RegexLexer):
    """dl, the deep-learning shell's statement language."""

    name = "dl"
    aliases = ["dl"]
    filenames = ["*.dl"]
    mimetypes = ["text/x-dl"]

    tokens = {
        # Where a statement may start.
        "root": [
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r";", Punctuation),
            *[(r"(%s)([ \t]+)(%s)%s" % (first, "|".join(seconds), _END), bygroups(Keyword, Whitespace, Keyword), "arguments")
              for first, seconds in SECOND_WORDS.items()],
            (words(STATEMENTS, suffix=_END), Keyword, "arguments"),
            (r"[^\s;#]+", Name, "arguments"),  # no such statement: dl says so; shown plainly
        ],
        # The rest of a statement, up to the end of its line or a `;`.
        "arguments": [
            (r"\n", Whitespace, "#pop"),
            (r";", Punctuation, "#pop"),
            (r"[ \t\r]+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"(\\\\|\\"|[^"\\\n])*"', String.Double),
            (r'"[^\n]*', String.Double),  # unterminated: dl reports it
            (r"([A-Za-z_][\w.]*)(=)", bygroups(Name.Attribute, Operator)),
            (r"\d+(x\d+)+" + _END, Number.Integer),
            (r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?%?" + r"(?=[\s;#,]|$)", Number),
            (r",", Punctuation),
            (r"[^\s;#,\"=]+", Name),
            (r".", Text),
        ],
    }
