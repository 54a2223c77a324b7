"""The dl kernel checked by Jupyter's own conformance suite (jupyter_kernel_test), then
through jupyter_client as a notebook front end drives it: a session kept across cells, an
interrupt during `train`. Run by scripts/jupyter-check, with the kernelspec `dl` installed.

`code_hello_world` is left unset (the suite then skips that test): dl has no statement that
prints a given text, and the suite looks for "hello, world" on stdout.
"""
import os
import signal
import sys
import time
import unittest

import jupyter_kernel_test
from jupyter_client.manager import start_new_kernel

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "jupyter"))
from dl_kernel.completeness import is_complete  # noqa: E402

TIMEOUT = 60


class DLKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "dl"
    language_name = "dl"
    file_extension = ".dl"

    completion_samples = [
        {"text": "den", "matches": {"dense"}},
        {"text": "load iris\ntrain ep", "matches": {"epochs="}},
        {"text": "dense 3 soft", "matches": {"softmax"}},
    ]
    complete_code_samples = ["load iris", "split 0.8\ndense 3 softmax", 'load "iris.csv"', '# a "quote', ""]
    incomplete_code_samples = ['load "iris', 'load iris\nsave model "m']
    invalid_code_samples = ['load "iris\nsplit 0.8']
    code_inspect_sample = "dense"
    code_generate_error = "dens 3"
    code_display_data = [
        {"code": "load iris\nsplit 0.8\ndense 3 softmax\ntrain epochs=1\nplot loss", "mime": "image/svg+xml"},
    ]


class DLKernelSession(unittest.TestCase):
    """A kernel of its own, driven through jupyter_client."""

    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name="dl", startup_timeout=TIMEOUT)

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=TIMEOUT):
        """The execute_reply's content and the cell's iopub messages, up to idle."""
        msg_id = self.kc.execute(code)
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        return reply["content"], self.cell_messages(msg_id, timeout)

    def cell_messages(self, msg_id, timeout=TIMEOUT):
        """The iopub messages of the cell `msg_id`, up to its idle status."""
        messages = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return messages
            messages.append(msg)

    @staticmethod
    def stdout(messages):
        return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")

    def test_the_session_persists_across_cells(self):
        reply, messages = self.run_cell("load iris")
        self.assertEqual(reply["status"], "ok")
        self.assertIn("150 rows", self.stdout(messages))
        reply, messages = self.run_cell("split 0.8\nshow state")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertIn("load iris", self.stdout(messages))
        self.assertIn("split 0.8", self.stdout(messages))

    def test_an_error_carries_dls_diagnostic_and_the_session_goes_on(self):
        # A runtime error on line 3: lines 1 and 2 ran and printed, as the stream before the error.
        reply, messages = self.run_cell("load iris\ndense 3 softmax\nevaluate")
        self.assertEqual(reply["status"], "error", reply)
        self.assertEqual(reply["ename"], "DLError")
        self.assertTrue(any(":3:" in line for line in reply["traceback"]), reply["traceback"])
        self.assertIn("evaluate needs a trained model", reply["evalue"])
        self.assertEqual([m["msg_type"] for m in messages if m["msg_type"] != "status"], ["execute_input", "stream", "error"])
        self.assertIn("150 rows", self.stdout(messages))
        reply, messages = self.run_cell("show state")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertIn("dense 3 softmax", self.stdout(messages))

    def test_a_warning_comes_on_stderr_apart_from_the_output(self):
        reply, messages = self.run_cell("load iris; dense 3 softmax; dense 3 softmax")
        self.assertEqual(reply["status"], "ok")
        streams = [m["content"] for m in messages if m["msg_type"] == "stream"]
        stderr = "".join(c["text"] for c in streams if c["name"] == "stderr")
        stdout = "".join(c["text"] for c in streams if c["name"] == "stdout")
        self.assertIn("warning: `dense 3 softmax` (line 1) is now a hidden layer", stderr)
        self.assertTrue(stderr.endswith("\n"), stderr)
        self.assertIn("150 rows", stdout)
        self.assertNotIn("warning", stdout)

    def test_an_interrupt_stops_train_and_the_next_cell_runs(self):
        self.run_cell("load iris\nsplit 0.8\ndense 8 relu\ndense 3 softmax")
        msg_id = self.kc.execute("train epochs=10000000")
        time.sleep(3)
        started = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertLess(time.monotonic() - started, 30)
        self.assertIn("interrupted at epoch", self.stdout(self.cell_messages(msg_id)))
        reply, messages = self.run_cell("evaluate")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertIn("accuracy", self.stdout(messages))

    def test_evaluate_shows_its_tables_as_html_in_place_of_their_text(self):
        reply, messages = self.run_cell("load iris\nsplit 0.8\ndense 3 softmax\ntrain epochs=2\nevaluate")
        self.assertEqual(reply["status"], "ok", reply)
        tables = [m["content"]["data"] for m in messages
                  if m["msg_type"] == "display_data" and "text/html" in m["content"]["data"]]
        self.assertEqual(len(tables), 2, messages)
        for data in tables:
            self.assertIn("<table", data["text/html"])
            for name in ("setosa", "versicolor", "virginica"):
                self.assertIn(f"<td>{name}</td>", data["text/html"])
        self.assertIn("true \\ predicted", tables[0]["text/plain"])
        self.assertIn("precision", tables[1]["text/plain"])
        text = self.stdout(messages)
        self.assertRegex(text, r"accuracy \d\.\d+")
        self.assertIn("confusion matrix (rows: true class", text)
        self.assertNotIn("macro avg", text, "a table's text is not streamed as well")
        kinds = [m["msg_type"] for m in messages if m["msg_type"] in ("stream", "display_data")]
        self.assertEqual(kinds[-3:], ["display_data", "stream", "display_data"], "in the order dl printed them")

    def test_train_shows_its_progress_line_as_one_display_updated_in_place(self):
        self.run_cell("load iris\nsplit 0.8\ndense 8 relu\ndense 3 softmax")
        # Long enough (about a second or more) for dl to send progress lines: it sends none
        # in a train's first 0.2 s, then at most 5 a second.
        reply, messages = self.run_cell("train epochs=20000")
        self.assertEqual(reply["status"], "ok", reply)
        shown = [m for m in messages if m["msg_type"] == "display_data" and "display_id" in m["content"].get("transient", {})]
        self.assertEqual(len(shown), 1, [m["msg_type"] for m in messages])
        display_id = shown[0]["content"]["transient"]["display_id"]
        updates = [m for m in messages if m["msg_type"] == "update_display_data"]
        self.assertGreaterEqual(len(updates), 1, [m["msg_type"] for m in messages])
        for m in shown + updates:
            self.assertEqual(m["content"]["transient"]["display_id"], display_id)
            line = m["content"]["data"]["text/plain"]
            # Accuracy shows once the epoch's batches have given one (timing decides which line has it).
            self.assertRegex(line, r"^Epoch +\d+/20000  [━─]{20}  loss \d\.\d{4}  (accuracy \d\.\d{4}  )?elapsed ")
        kinds = [m["msg_type"] for m in messages if m["msg_type"] not in ("status", "execute_input")]
        self.assertLess(kinds.index("display_data"), kinds.index("update_display_data"))
        # Cleared when the reply comes; the epoch lines that stay follow as text.
        self.assertLess(kinds.index("update_display_data"), kinds.index("clear_output"))
        self.assertLess(kinds.index("clear_output"), kinds.index("stream"))
        self.assertIn("trained 20000 epochs", self.stdout(messages))
        self.assertNotIn("elapsed", self.stdout(messages))
        # A cell without a live line shows none.
        reply, messages = self.run_cell("show")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual([m["msg_type"] for m in messages if m["msg_type"] != "status"], ["execute_input", "stream"])

    def test_quit_starts_a_fresh_session(self):
        self.run_cell("load iris")
        reply, messages = self.run_cell("quit")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertIn("fresh session", self.stdout(messages))
        reply, messages = self.run_cell("show state")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertNotIn("load iris", self.stdout(messages))

    def test_inspect_of_an_unknown_name_is_not_found(self):
        self.kc.inspect("dens 3", 2)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertFalse(reply["content"]["found"])
        self.kc.inspect("load iris\nplot loss", 14)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertTrue(reply["content"]["found"])
        self.assertTrue(reply["content"]["data"]["text/plain"].startswith("plot loss"))


class Lexer(unittest.TestCase):
    """The Pygments lexer, found by name as nbconvert finds it (the `dl-kernel` distribution
    is installed in this venv by scripts/jupyter-check)."""

    def test_pygments_finds_it_by_name_and_it_highlights_a_statement(self):
        from pygments.lexers import get_lexer_by_name
        from pygments.token import Comment, Keyword, Name, Number

        lexer = get_lexer_by_name("dl")
        self.assertEqual(lexer.name, "dl")
        tokens = [(kind, text) for kind, text in lexer.get_tokens("dense 64 relu # hidden") if text.strip()]
        self.assertEqual(len(tokens), 4, tokens)
        (k1, t1), (k2, t2), (k3, t3), (k4, t4) = tokens
        self.assertEqual((t1, t2, t3, t4), ("dense", "64", "relu", "# hidden"))
        self.assertIn(k1, Keyword)
        self.assertIn(k2, Number)
        self.assertIn(k3, Name)
        self.assertIn(k4, Comment)

    def test_keys_dimensions_strings_and_statements_after_semicolons(self):
        from pygments.token import Keyword, Name, Number, String

        from dl_kernel.lexer import DLLexer
        tokens = [(kind, text) for kind, text in DLLexer().get_tokens(
            'load "a.csv"; conv 16 5x5 relu; input 28x28x1\ntrain lr=0.1 epochs=20\nplot loss') if text.strip()]
        kinds = dict((text, kind) for kind, text in tokens)
        for keyword in ("load", "conv", "input", "train", "plot", "loss"):
            self.assertIn(kinds[keyword], Keyword, keyword)
        self.assertIn(kinds['"a.csv"'], String)
        self.assertIn(kinds["5x5"], Number)
        self.assertIn(kinds["28x28x1"], Number)
        self.assertIn(kinds["0.1"], Number)
        self.assertIn(kinds["lr"], Name.Attribute)
        self.assertIn(kinds["relu"], Name)

    def test_its_statements_are_dls(self):
        """The lexer's statement list is the statement table, as `dl -e help` lists it."""
        import re
        import subprocess

        from jupyter_client.kernelspec import KernelSpecManager

        from dl_kernel.lexer import SECOND_WORDS, STATEMENTS
        argv = KernelSpecManager().get_kernel_spec("dl").argv
        dl = os.environ.get("DL_BINARY") or argv[argv.index("--dl") + 1]
        listing = subprocess.run([dl, "-e", "help"], capture_output=True, text=True, check=True).stdout
        names = re.findall(r"^  ([a-z][a-z0-9]*(?: [a-z]+)?)  ", listing, flags=re.M)
        self.assertGreater(len(names), 40, listing)
        lexed = set(STATEMENTS) | {f"{first} {second}" for first, seconds in SECOND_WORDS.items() for second in seconds}
        listed = set(names) | {name.split()[0] for name in names}
        self.assertEqual(listed, lexed)


class Completeness(unittest.TestCase):
    def test_strings_escapes_and_comments(self):
        self.assertEqual(is_complete(r'load "a\"b'), "incomplete")
        self.assertEqual(is_complete(r'load "a\"b"'), "complete")
        self.assertEqual(is_complete('load iris # "'), "complete")
        self.assertEqual(is_complete('load "a#b'), "incomplete")


class TimedResult(unittest.TextTestResult):
    """Each test has PER_TEST seconds (DL_JUPYTER_TEST_TIMEOUT): a hung kernel fails it."""

    PER_TEST = int(os.environ.get("DL_JUPYTER_TEST_TIMEOUT", "120"))

    def startTest(self, test):
        super().startTest(test)
        signal.alarm(self.PER_TEST)

    def stopTest(self, test):
        signal.alarm(0)
        super().stopTest(test)


def timed_out(signum, frame):
    raise TimeoutError(f"the test took over {TimedResult.PER_TEST} s")


if __name__ == "__main__":
    signal.signal(signal.SIGALRM, timed_out)
    program = unittest.main(verbosity=2, exit=False,
                            testRunner=unittest.TextTestRunner(resultclass=TimedResult, verbosity=2))
    result = program.result
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    print(f"jupyter: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)
