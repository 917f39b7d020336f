"""Docs that cannot drift: every command and every setting is documented."""

from pathlib import Path

import typer.main
from typer.testing import CliRunner

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


def _help(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_bitext_help_lists_each_command_on_one_line():
    """On a terminal wide enough, each command's summary is one line (the docstring's line
    breaks used to cut "omissions and / additions" in two), the whole first paragraph."""
    listing = _help()
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            continue
        summary = " ".join(command.help.split("\n\n")[0].split())
        line = next(row for row in listing.splitlines() if row.startswith(f"│ {name} "))
        assert summary in line, (name, line)


def test_every_argument_says_what_it_is():
    """`bitext cite --help` and the like name what a bare SLUG or NAME stands for."""
    group = typer.main.get_command(app)
    for path in command_paths(group):
        command = group
        for name in path:
            command = command.commands[name]
        for parameter in command.params:
            if parameter.param_type_name == "argument":
                assert getattr(parameter, "help", None), (" ".join(path), parameter.name)


def test_demo_help_says_how_to_sign_in_as_an_editor():
    text = " ".join(_help("demo").split())
    assert "bitext user add NAME" in text and "/login" in text
