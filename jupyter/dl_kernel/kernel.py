"""The dl kernel: each cell goes to one `dl --json` process kept for the kernel's life.

The protocol is dl's own (README, "dl --json, for programs"): one JSON request a line, one
JSON reply a line. The session lives in dl, so it persists across cells; a kernel restart
starts a fresh dl. An interrupt (Jupyter's interrupt_request, or SIGINT to the kernel with
the kernelspec's interrupt_mode "signal") is forwarded to dl as SIGINT: `train` stops after
the current batch, and the cell ends with what it printed so far.

While a cell runs, dl sends the line a terminal redraws in place (`train`'s epoch, bar, loss
and time left; `sweep`'s combination) as progress lines before its reply. The kernel shows it
as one display, updated in place (`display_data`, then `update_display_data`, with the same
`display_id`), and clears it when the reply comes: the cell then shows the epoch lines that
stay, as a terminal does when training ends.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import uuid
from typing import Any, Callable

from ipykernel.kernelbase import Kernel

from . import __version__
from .completeness import is_complete


def dl_binary() -> str:
    """DL_BINARY (set by `--dl` in the kernelspec's argv, or by the user), else `dl` on PATH."""
    path = os.environ.get("DL_BINARY") or shutil.which("dl")
    if not path:
        raise RuntimeError("dl kernel: no dl binary: set DL_BINARY or run scripts/jupyter-install")
    return path


def output_parts(output: str, tables: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """A reply's output as iopub messages in order: its text as stdout streams, and each table
    in it as a display_data (text/html, with the table's text as text/plain) in place of its
    text, which then is not also streamed. A table whose text is not found where the output
    goes on (it always is, as dl writes it whole) stays as text and is not displayed."""
    parts: list[tuple[str, dict[str, Any]]] = []
    start = 0
    for table in tables:
        text, html = table.get("text") or "", table.get("html") or ""
        at = output.find(text, start) if text and html else -1
        if at < 0:
            continue
        if at > start:
            parts.append(("stream", {"name": "stdout", "text": output[start:at]}))
        parts.append(("display_data", {"data": {"text/html": html, "text/plain": text.rstrip("\n")},
                                       "metadata": {}}))
        start = at + len(text)
    if start < len(output):
        parts.append(("stream", {"name": "stdout", "text": output[start:]}))
    return parts


class DLProcess:
    """A running `dl --json`, asked one request at a time."""

    def __init__(self) -> None:
        # Its own session: a SIGINT sent to the kernel's process group reaches dl only
        # through the kernel's handler, once, and only while a request runs.
        self.process = subprocess.Popen(
            [dl_binary(), "--json"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        self.next_id = 0
        self.busy = False

    def ask(self, request: dict[str, Any],
            on_progress: Callable[[str | None], None] | None = None) -> dict[str, Any] | None:
        """Sends one request and waits for its reply (the line with `status`); None when dl has
        ended. The progress lines before it go to `on_progress` (a line, or None when done)."""
        self.next_id += 1
        request = dict(request, id=self.next_id)
        assert self.process.stdin and self.process.stdout
        self.busy = True
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
            while True:
                line = self.process.stdout.readline()
                if not line:
                    return None
                reply = json.loads(line)
                if reply.get("id") != self.next_id:
                    continue
                if "status" not in reply and "progress" in reply:
                    if on_progress is not None:
                        on_progress(reply["progress"])
                    continue
                return reply
        except (BrokenPipeError, ValueError, OSError):
            return None
        finally:
            self.busy = False

    def interrupt(self) -> None:
        if self.busy and self.process.poll() is None:
            try:
                os.kill(self.process.pid, signal.SIGINT)
            except OSError:
                pass

    def stop(self) -> None:
        """End of input ends dl; a dl that does not end is killed."""
        try:
            if self.process.stdin:
                self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


class ProgressDisplay:
    """A cell's live progress line: one display, shown by the first line dl sends and
    updated in place by the next ones (the same display_id, so a front end redraws it rather
    than adding outputs), and cleared when the cell's reply comes."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.display_id = f"dl-progress-{uuid.uuid4().hex}"
        self.shown = False

    def show(self, line: str | None) -> None:
        # null ends a line; the next `train` of the cell reuses the display, and the reply clears it.
        if line is None:
            return
        content = {"data": {"text/plain": line}, "metadata": {}, "transient": {"display_id": self.display_id}}
        self.kernel.send_response(self.kernel.iopub_socket,
                                  "update_display_data" if self.shown else "display_data", content)
        self.shown = True

    def end(self) -> None:
        """Clears the line (the cell's only output so far: the rest comes with the reply)."""
        if self.shown:
            self.kernel.send_response(self.kernel.iopub_socket, "clear_output", {"wait": False})
            self.shown = False


class DLKernel(Kernel):
    implementation = "dl_kernel"
    implementation_version = __version__
    language = "dl"
    language_version = "1"
    language_info = {
        "name": "dl",
        "mimetype": "text/x-dl",
        "file_extension": ".dl",
        "codemirror_mode": "shell",
        # dl_kernel/lexer.py, found by Pygments when the dl-kernel distribution is installed
        # (scripts/jupyter-install --lexer); without it nbconvert shows cells as plain text.
        "pygments_lexer": "dl",
    }
    banner = "dl: a deep-learning shell (`help` lists the statements, `tour` is a guided lesson)"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lock = threading.Lock()
        self.dl = DLProcess()
        signal.signal(signal.SIGINT, self._forward_interrupt)

    # ipykernel makes SIGINT raise KeyboardInterrupt while a handler runs; the kernel's own
    # handler stays instead, so that an interrupt reaches dl and the cell ends with dl's reply.
    def pre_handler_hook(self) -> None:
        pass

    def post_handler_hook(self) -> None:
        pass

    def _forward_interrupt(self, signum: int, frame: Any) -> None:
        self.dl.interrupt()

    def _ask(self, request: dict[str, Any],
             on_progress: Callable[[str | None], None] | None = None) -> tuple[dict[str, Any] | None, str]:
        """The reply, or None and a note when dl ended (a fresh dl is started for the next cell)."""
        with self.lock:
            reply = self.dl.ask(request, on_progress)
            if reply is not None:
                return reply, ""
            status = self.dl.process.wait()
            self.dl = DLProcess()
            return None, f"dl ended unexpectedly (exit status {status}); a fresh session was started"

    async def do_execute(self, code: str, silent: bool, store_history: bool = True,
                         user_expressions: dict | None = None, allow_stdin: bool = False,
                         *, cell_meta: dict | None = None, cell_id: str | None = None) -> dict[str, Any]:
        progress = ProgressDisplay(self) if not silent else None
        reply, note = self._ask({"code": code}, progress.show if progress else None)
        if progress:
            progress.end()
        if reply is None:
            return self._error("DLError", note, [note], silent)
        if not silent:
            for kind, content in output_parts(reply.get("output") or "", reply.get("tables") or []):
                self.send_response(self.iopub_socket, kind, content)
            # Warnings (the statements went on) come apart from the output, on stderr, as a
            # terminal shows them: `warning: …`.
            for warning in reply.get("warnings") or []:
                text = warning.get("rendered") or f"warning: {warning.get('message', '')}\n"
                self.send_response(self.iopub_socket, "stream", {"name": "stderr", "text": text})
            for picture in reply.get("pictures", []):
                self.send_response(self.iopub_socket, "display_data", {
                    "data": {"image/svg+xml": picture["svg"], "text/plain": picture.get("title", "")},
                    "metadata": {},
                })
        status = reply.get("status")
        if status == "error":
            error = reply.get("error") or {}
            message = error.get("message") or "the statement failed"
            rendered = (error.get("rendered") or message).rstrip("\n").split("\n")
            return self._error("DLError", message, rendered, silent)
        if status == "quit":
            # `quit` ends dl; the kernel stays and the next cell starts on a fresh session.
            self.dl.process.wait()
            self.dl = DLProcess()
            if not silent:
                self.send_response(self.iopub_socket, "stream",
                                   {"name": "stdout", "text": "dl quit; the next cell starts a fresh session\n"})
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def _error(self, ename: str, evalue: str, traceback: list[str], silent: bool) -> dict[str, Any]:
        content = {"ename": ename, "evalue": evalue, "traceback": traceback}
        if not silent:
            self.send_response(self.iopub_socket, "error", content)
        return {"status": "error", "execution_count": self.execution_count, **content}

    async def do_complete(self, code: str, cursor_pos: int | None) -> dict[str, Any]:
        cursor = len(code) if cursor_pos is None else cursor_pos
        reply, _ = self._ask({"complete": code, "cursor": cursor})
        if reply is None or reply.get("status") != "ok":
            return {"status": "ok", "matches": [], "cursor_start": cursor, "cursor_end": cursor, "metadata": {}}
        return {"status": "ok", "matches": reply["matches"], "cursor_start": reply["cursor_start"],
                "cursor_end": reply["cursor_end"], "metadata": {}}

    async def do_inspect(self, code: str, cursor_pos: int, detail_level: int = 0,
                         omit_sections: Any = ()) -> dict[str, Any]:
        reply, _ = self._ask({"inspect": code, "cursor": min(max(cursor_pos or 0, 0), len(code))})
        found = bool(reply and reply.get("status") == "ok" and reply.get("found"))
        data = {"text/plain": reply["help"]} if found and reply else {}
        return {"status": "ok", "found": found, "data": data, "metadata": {}}

    async def do_is_complete(self, code: str) -> dict[str, Any]:
        status = is_complete(code)
        return {"status": status, "indent": ""} if status == "incomplete" else {"status": status}

    async def do_shutdown(self, restart: bool) -> dict[str, Any]:
        self.dl.stop()
        return {"status": "ok", "restart": restart}
