"""The manual pages and completion scripts the build makes from the program's own
commands: one page per command that renders cleanly and says what --help says, and
completions that offer every command and option."""

import os
import re
import shutil
import subprocess
import unittest
from pathlib import Path

from harness import CliTestCase

BUILD = Path(os.environ.get("TLSHOP_BUILD_DIR", "."))
MAN = BUILD / "man"
COMPLETIONS = BUILD / "completions"


class ManualAndCompletions(CliTestCase):
    def commands(self, path=()):
        """Every command path --help lists, with its description and its options."""
        text = self.tlshop(*path, "--help").stdout
        options = re.findall(r"^  (?:-\w,)?(--[\w-]+)", text, re.M)
        found = {path: options}
        listed = text.split("Subcommands:\n")[1].split("\n\n")[0] if "Subcommands:" in text else ""
        for name in re.findall(r"^  (\S+)", listed, re.M):
            found.update(self.commands((*path, name)))
        return found

    def test_every_command_has_a_page_that_renders_and_lists_its_options(self):
        commands = self.commands()
        self.assertIn(("ca", "issue"), commands)
        pages = {p.name for p in (MAN / "man1").iterdir()}
        self.assertEqual(pages, {"-".join(("tlshop", *path)) + ".1" for path in commands})
        for path, options in commands.items():
            page = MAN / "man1" / ("-".join(("tlshop", *path)) + ".1")
            result = subprocess.run(["man", "--warnings", "-l", page], capture_output=True,
                                    text=True, env=dict(os.environ, MANWIDTH="100"))
            self.assertEqual((result.returncode, result.stderr), (0, ""), page)
            for option in options:
                self.assertIn(option, result.stdout, page)

    def test_the_configuration_page_describes_every_setting(self):
        defaults = self.tlshop("serve", "--print-default-config").stdout
        result = subprocess.run(["man", "--warnings", "-l", MAN / "man5" / "tlshop.toml.5"],
                                capture_output=True, text=True, env=dict(os.environ, MANWIDTH="100"))
        self.assertEqual((result.returncode, result.stderr), (0, ""))
        section = ""
        for line in defaults.splitlines():
            if line.startswith("["):
                section = line.strip("[]") + "."
            elif " = " in line and not line.startswith("#"):
                self.assertIn(section + line.split(" = ")[0], result.stdout)

    def test_the_desktop_clients_page_says_what_its_help_says(self):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        help_text = subprocess.run([os.environ["TLSHOP_GUI_BIN"], "--help"], capture_output=True,
                                   text=True, env=env, check=True).stdout
        page = subprocess.run(["man", "--warnings", "-l", BUILD / "gui-man" / "man1" / "tlshop-gui.1"],
                              capture_output=True, text=True, env=dict(env, MANWIDTH="100"))
        self.assertEqual((page.returncode, page.stderr), (0, ""))
        options = re.findall(r"^  (?:-\w, )?(--[\w-]+)", help_text, re.M)
        self.assertIn("--pin", options)
        for option in options:
            self.assertIn(option, page.stdout)

    def complete_in_bash(self, *words):
        """What bash offers after `tlshop WORDS...` (the last word being completed)."""
        script = (f"source {COMPLETIONS / 'tlshop'}; COMP_WORDS=(tlshop {' '.join(words)}); "
                  f"COMP_CWORD={len(words)}; _tlshop; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
        return self.run_tool(["bash", "-c", script]).stdout.split()

    def test_bash_completes_commands_options_and_file_names(self):
        self.assertEqual(self.run_tool(["bash", "-c", f"source {COMPLETIONS / 'tlshop'}; complete -p tlshop"])
                         .stdout.strip(), "complete -F _tlshop tlshop")
        for path in self.commands():
            if path:
                self.assertIn(path[-1], self.complete_in_bash(*path[:-1], ""), path)
        self.assertEqual(self.complete_in_bash("ca", "i"), ["init", "issue", "inspect"])
        self.assertEqual(self.complete_in_bash("ca", "issue", "--d"), ["--dir", "--days"])
        (self.dir / "root.crt").write_text("")
        self.assertEqual(self.complete_in_bash("hello", "--ca", f"{self.dir}/ro"), [f"{self.dir}/root.crt"])
        self.assertEqual(self.complete_in_bash("--ver"), ["--version"])

    @unittest.skipUnless(shutil.which("zsh"), "zsh is not installed")
    def test_zsh_loads_the_completion_and_offers_the_same_choices(self):
        fpath = f"fpath=({COMPLETIONS} $fpath); autoload -Uz compinit; compinit -u -d {self.dir}/zcompdump"
        self.assertEqual(self.run_tool(["zsh", "-f", "-c", f"{fpath}; print -r -- ${{_comps[tlshop]}}"])
                         .stdout.strip(), "_tlshop")
        # The completion system's own functions stand in as printers of what they were given.
        stubs = "_describe() { print -rl -- ${(P)4} }; _files() { print FILES }"
        offered = self.run_tool(["zsh", "-f", "-c", f"{fpath}; {stubs}; words=(tlshop ca i); CURRENT=3; _tlshop"])
        names = [line.split(":")[0] for line in offered.stdout.splitlines()]
        self.assertIn("issue", names)
        self.assertIn("--dir", [line.split(":")[0] for line in self.run_tool(
            ["zsh", "-f", "-c", f"{fpath}; {stubs}; words=(tlshop ca issue ''); CURRENT=4; _tlshop"]).stdout.splitlines()])
        after_value_option = self.run_tool(
            ["zsh", "-f", "-c", f"{fpath}; {stubs}; words=(tlshop ca issue --dir ''); CURRENT=5; _tlshop"])
        self.assertEqual(after_value_option.stdout.strip(), "FILES")


if __name__ == "__main__":
    unittest.main()
