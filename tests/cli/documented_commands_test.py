"""Every command the README and docs/ show runs as written, in the order they show it,
as a normal user in an empty directory, against the tlshop program built here and a
real server, so the walkthrough cannot rot.

The rules the documents follow:
- each ```sh block is run, command by command (a line ending in a backslash continues);
  a block whose previous line is `<!-- not run: WHY -->` is not, and says why there;
- a command exits 0 unless its comment says otherwise (`# ... exit 5 ...`);
- `tlshop serve` runs until the end, as in a second terminal: the next command starts
  once it prints `listening on`;
- the README comes first, then docs/ca.md, docs/operations.md, docs/protocol.md,
  docs/performance.md and docs/client-library.md, all in one directory, so a document may use what an earlier one
  made (the CA, alice's certificate, the running server).
"""

import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import TLSHOP

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ["README.md", "docs/ca.md", "docs/operations.md", "docs/protocol.md",
             "docs/performance.md", "docs/client-library.md"]
NOT_RUN = re.compile(r"<!-- not run: .+ -->")
EXPECTED_EXIT = re.compile(r"#.*\bexit (\d+)\b")
SERVER_WAIT_SECONDS = 20

PRELUDE = f"""
set -uo pipefail
servers=()
stop_servers() {{ for pid in "${{servers[@]}}"; do kill "$pid" 2>/dev/null; wait "$pid"; done; }}
trap stop_servers EXIT
# tlshop serve, as if in a second terminal: in the background, waited for until it listens.
serve_in_background() {{
  local log=".serve-${{#servers[@]}}.log"
  command tlshop serve "$@" >"$log" 2>&1 &
  servers+=($!)
  for _ in $(seq {SERVER_WAIT_SECONDS * 10}); do
    grep -q "listening on" "$log" && return 0
    kill -0 "${{servers[-1]}}" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  return 1
}}
check() {{
  local got=$1 want=$2 where=$3
  if [ "$got" -ne "$want" ]; then
    echo "$where: exited $got, the document says $want" >&2
    exit 1
  fi
}}
"""


class Command:
    def __init__(self, document, line, text):
        self.document, self.line, self.text = document, line, text

    @property
    def where(self):
        first = self.text.splitlines()[0]
        return f"{self.document}:{self.line}: {first}"

    def expected_exit(self):
        found = EXPECTED_EXIT.search(self.text.splitlines()[-1])
        return int(found.group(1)) if found else 0

    def script(self):
        text = self.text
        if re.match(r"tlshop serve\b(?!.*--print-default-config)", text):
            text = "serve_in_background" + text[len("tlshop serve"):]
        return f"{text}\ncheck $? {self.expected_exit()} {shlex.quote(self.where)}\n"


def documented_commands(document):
    """The commands of the ```sh blocks of one document, each with its line number."""
    lines = (ROOT / document).read_text().splitlines()
    commands, index = [], 0
    while index < len(lines):
        if lines[index].strip() != "```sh":
            index += 1
            continue
        skipped = index > 0 and NOT_RUN.fullmatch(lines[index - 1].strip())
        index += 1
        pending, start = [], None
        while lines[index].strip() != "```":
            line = lines[index]
            if not skipped and line.strip() and not line.lstrip().startswith("#"):
                if "<<" in line:
                    raise AssertionError(f"{document}:{index + 1}: here-documents are not supported")
                start = start or index + 1
                pending.append(line)
                if not line.endswith("\\"):
                    commands.append(Command(document, start, "\n".join(pending)))
                    pending, start = [], None
            index += 1
        index += 1
    return commands


class DocumentedCommands(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="tlshop-docs-"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.bin = Path(tempfile.mkdtemp(prefix="tlshop-bin-"))
        self.addCleanup(shutil.rmtree, self.bin, ignore_errors=True)
        # A copy anyone may run, for when the build tree is not readable by a normal user.
        shutil.copy(TLSHOP, self.bin / "tlshop")
        for path in (self.bin, self.bin / "tlshop"):
            path.chmod(0o755)

    def as_normal_user(self):
        """root may write anywhere; the documents must work for someone who cannot."""
        if os.geteuid() != 0:
            return []
        shutil.chown(self.dir, "nobody", "nogroup")
        return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]

    def test_every_documented_command_runs_as_written(self):
        commands = [command for document in DOCUMENTS for command in documented_commands(document)]
        self.assertGreater(len(commands), 40, "the documents' commands were not found")
        script = PRELUDE + "".join(command.script() for command in commands)
        environment = {"PATH": f"{self.bin}:/usr/bin:/bin", "HOME": str(self.dir),
                       "LANG": "C.UTF-8"}
        process = subprocess.Popen([*self.as_normal_user(), "bash", "-c", script], cwd=self.dir,
                                   env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            output, _ = process.communicate(timeout=300)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.assertEqual(process.returncode, 0, output[-6000:])


if __name__ == "__main__":
    unittest.main()
