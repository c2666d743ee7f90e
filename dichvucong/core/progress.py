"""A small progress display for long management commands (loading units, agencies, catalogue)."""

import sys


class Progress:
    """Counts work done and redraws one status line: `Đơn vị hành chính: 1.200/3.355 (35%)`.

    On a terminal the line is redrawn in place; in logs (CI, cron) a line is printed every 10 %.
    """

    def __init__(self, label: str, total: int, stream=None):
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self.stream = stream or sys.stdout
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_decile = -1

    def advance(self, count: int = 1) -> None:
        self.done += count
        percent = 100 if not self.total else min(100, self.done * 100 // self.total)
        if self._tty:
            self.stream.write(f"\r{self.label}: {self.done}/{self.total} ({percent}%)")
            self.stream.flush()
        elif percent // 10 != self._last_decile:
            self._last_decile = percent // 10
            self.stream.write(f"{self.label}: {self.done}/{self.total} ({percent}%)\n")

    def finish(self) -> None:
        if self._tty:
            self.stream.write("\n")
        self.stream.flush()


class NullProgress(Progress):
    def __init__(self, *args, **kwargs):
        super().__init__("", 0)

    def advance(self, count: int = 1) -> None:
        self.done += count

    def finish(self) -> None:
        pass
