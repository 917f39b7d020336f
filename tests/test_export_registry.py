"""Every place that offers export formats reads the registry: a format registered there is
on the reader's download panel, accepted by the export route, named by the CLI."""

import pytest
from fastapi.testclient import TestClient
from samples import UDHR_EN, UDHR_ZH
from typer.testing import CliRunner

from bitext.cli.app import app as cli
from bitext.formats.registry import FORMATS, export_formats, import_formats
from bitext.services.library import add_document
from bitext.web.app import create_app

SLUG = "udhr"


@pytest.fixture
def client(library):
    add_document(library, {
        "slug": SLUG, "title_original": "世界人权宣言", "title_translation": "UDHR",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published",
    }, UDHR_ZH, UDHR_EN)
    with TestClient(create_app(library)) as client:
        yield client


def test_the_cite_panel_offers_every_export_format(client):
    html = client.get(f"/documents/{SLUG}").text  # the reader page's cite panel
    for fmt in export_formats():
        assert f"export?format={fmt.name}" in html, fmt.name
        assert f">{fmt.label}<" in html, fmt.label
    assert "export?format=tsv" in html  # once missing: the panel kept its own list


def test_the_export_route_takes_every_registered_name_and_nothing_else(client):
    for fmt in export_formats():
        response = client.get(f"/api/documents/{SLUG}/export", params={"format": fmt.name})
        assert response.status_code == 200, fmt.name
        assert response.headers["content-type"].startswith(fmt.media_type.split(";")[0])
        assert f'filename="{SLUG}.{fmt.extension}"' in response.headers["content-disposition"]
    assert client.get(f"/api/documents/{SLUG}/export",
                      params={"format": "pdf"}).status_code == 422
    schema = client.get("/openapi.json").json()
    parameter = schema["paths"]["/api/documents/{slug}/export"]["get"]["parameters"][1]
    assert parameter["name"] == "format"
    assert all(fmt.name in parameter["schema"]["pattern"] for fmt in export_formats())


def test_the_cli_names_the_registered_formats():
    def help_of(command: str) -> str:
        result = CliRunner().invoke(cli, [command, "--help"], terminal_width=400,
                                    env={"NO_COLOR": "1", "TERM": "dumb"})
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    exports = help_of("export")
    assert all(fmt.name in exports for fmt in export_formats())
    imports = help_of("import")
    assert all(fmt.name in imports for fmt in import_formats())
    assert "docx" not in imports


def test_every_format_names_a_writer_or_reader_that_exists():
    for fmt in FORMATS.values():
        for reference in (fmt.writer, fmt.streamer, fmt.reader):
            if reference is not None:
                module, _, function = reference.partition(":")
                assert callable(getattr(__import__(module, fromlist=[function]), function))
