"""Docs that cannot drift: every command and every setting is documented."""

from pathlib import Path

import typer.main

from bitext.cli import app
from bitext.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def command_paths(group, prefix=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from command_paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


def test_every_command_is_in_the_readme():
    group = typer.main.get_command(app)
    missing = [" ".join(p) for p in command_paths(group)
               if f"bitext {' '.join(p)}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_every_command_has_help():
    group = typer.main.get_command(app)
    assert all(command.help for command in group.commands.values())


def test_every_setting_has_a_description():
    assert all(field.description for field in Settings.model_fields.values())


def test_every_setting_is_in_the_readme():
    missing = [name for name in Settings.model_fields if f"| `{name}` |" not in README]
    assert not missing, f"settings missing from README.md's table: {missing}"
