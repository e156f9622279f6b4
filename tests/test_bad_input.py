"""Hostile and broken input, generated here (no committed binaries): each file is parsed or
refused with exit 1, a one-line reason naming it, and no output — and nothing leaks or hangs."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import fzparse
from fzparse import errors
from fzparse.limits import Limits, using
from support import make_fixtures

ROOT = Path(__file__).resolve().parents[1]
NOTICE = (ROOT / "corpus" / "lz-2024-12-yinfa.txt").read_text("utf-8")


def cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "fzparse", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


def refuse(path: Path, tmp_path: Path, error: type, words: str) -> None:
    """API raises `error`; the CLI exits 1 with one line naming the file, and writes no JSON."""
    with pytest.raises(error) as caught:
        fzparse.parse(path)
    assert str(path) in str(caught.value) and words in str(caught.value)
    out = tmp_path / "out"
    proc = cli("parse", path, "-o", out)
    assert proc.returncode == 1, proc.stderr
    failures = [ln for ln in proc.stderr.splitlines() if ln.startswith("fzparse: ") and " parsed, " not in ln]
    assert len(failures) == 1 and str(path) in failures[0] and "Traceback" not in proc.stderr
    assert not list(out.glob("*.json"))


# ----------------------------------------------------------------------------- generated files

def make(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("ext", [".txt", ".html", ".pdf", ".docx"])
def test_empty_file(tmp_path, ext):
    refuse(make(tmp_path, "empty" + ext, b""), tmp_path, errors.EmptyDocument, "no text")


@pytest.mark.parametrize("ext,error", [(".txt", errors.Unreadable), (".pdf", errors.Unreadable),
                                       (".docx", errors.Unreadable), (".bin", errors.UnsupportedFormat)])
def test_random_bytes(tmp_path, ext, error):
    data = bytes((i * 7919 + 13) % 256 for i in range(40000))
    refuse(make(tmp_path, "noise" + ext, data), tmp_path, error, "")


def test_random_bytes_named_html(tmp_path):
    data = bytes((i * 7919 + 13) % 256 for i in range(40000))
    path = make(tmp_path, "noise.html", data)
    with pytest.raises(errors.FzparseError):
        fzparse.parse(path)


def test_legacy_doc(tmp_path):
    refuse(make(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), tmp_path,
           errors.LegacyWordFormat, "DOCX")


def test_truncated_pdf(tmp_path):
    fx = make_fixtures()
    good = fx.render_pdf(ROOT / "tests" / "data" / "notices" / "nongye-2024-3.txt", tmp_path / "good.pdf")
    refuse(fx.truncated_pdf(good, tmp_path / "cut.pdf"), tmp_path, errors.Unreadable, "")


def test_encrypted_pdf(tmp_path):
    refuse(make_fixtures().encrypted_pdf(tmp_path / "locked.pdf"), tmp_path, errors.EncryptedDocument, "password")


def test_image_only_pdf(tmp_path):
    from reportlab.pdfgen import canvas
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(2):
        c.setFillColorRGB(0.2, 0.2, 0.2)
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    refuse(path, tmp_path, errors.ScannedDocument, "no text layer")


def test_zip_bomb_docx(tmp_path):
    refuse(make_fixtures().zip_bomb_docx(tmp_path / "bomb.docx", megabytes=250), tmp_path, errors.TooLarge, "")


def test_zip_ratio_limit_is_a_user_setting(tmp_path):
    path = make_fixtures().zip_bomb_docx(tmp_path / "ratio.docx", megabytes=5)
    with pytest.raises(errors.TooLarge):
        fzparse.parse(path)
    with using(Limits(max_zip_ratio=10_000)), pytest.raises(errors.FzparseError) as caught:
        fzparse.parse(path)          # past the ratio check, it is still no Word document
    assert not isinstance(caught.value, errors.TooLarge)


def _docx_with(document_xml: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
                  + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
XXE = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>')


@pytest.mark.parametrize("name,xml", [("laughs.docx", BILLION_LAUGHS), ("xxe.docx", XXE)])
def test_entity_attacks_in_docx(tmp_path, name, xml):
    refuse(make(tmp_path, name, _docx_with(xml)), tmp_path, errors.Unreadable, "")


def test_external_entity_in_xhtml_is_not_resolved(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in NOTICE.splitlines() if line.strip())
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml"><body><div>{body}<p>&xxe;</p></div></body></html>')
    path = make(tmp_path, "xxe.xhtml", page.encode("utf-8"))
    try:
        doc = fzparse.parse(path)
    except errors.FzparseError:
        return                                    # refusing it is fine too
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "root:" not in text and "/bin/" not in text
    assert doc.doc_number is not None


def test_very_deep_html_is_refused_quickly(tmp_path):
    depth = 200_000
    page = ("<html><body>" + "<div>" * depth + "深" + "</div>" * depth + "</body></html>").encode()
    path = make(tmp_path, "deep.html", page)
    proc = cli("parse", path, "-o", tmp_path / "out", timeout=60)
    assert proc.returncode == 1 and str(path) in proc.stderr and "Traceback" not in proc.stderr


def test_oversized_text_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        line = ("关于加强工作的通知" * 1000).encode()
        while fh.tell() < 60 * 1024 * 1024:
            fh.write(line)
    refuse(path, tmp_path, errors.TooLarge, "limit")


def test_binary_named_txt(tmp_path):
    refuse(make(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40), tmp_path, errors.Unreadable, "binary")


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("gbk"),
    lambda t: t.encode("utf-16"),
    lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in t).encode("utf-8"),
], ids=["gbk", "utf-16", "bom-crlf", "full-width"])
def test_the_good_notice_in_every_encoding_parses(tmp_path, encode):
    reference = fzparse.parse(make(tmp_path, "ref.txt", NOTICE.encode("utf-8")))
    doc = fzparse.parse(make(tmp_path, "variant.txt", encode(NOTICE)))
    assert doc.doc_number.text == reference.doc_number.text
    assert doc.date == reference.date
    assert [n.path for n in doc.nodes()] == [n.path for n in reference.nodes()]
    assert [(u.name, u.role) for n in doc.nodes() for u in n.units] == \
        [(u.name, u.role) for n in reference.nodes() for u in n.units]


def test_batch_goes_on_and_accounts_for_every_input(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(NOTICE, "utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "noise.pdf").write_bytes(b"%PDF-1.4 garbage")
    (src / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    out = tmp_path / "out"
    proc = cli("parse", src, "-o", out)
    assert proc.returncode == 1
    for name in ("empty.txt", "noise.pdf", "old.doc"):
        assert sum(name in ln for ln in proc.stderr.splitlines()) == 1
    assert sorted(p.name for p in out.glob("*.json")) == ["good.json"]
    assert "1 parsed, 3 failed" in proc.stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_size_limit_is_a_cli_setting(tmp_path):
    path = make(tmp_path, "notice.txt", NOTICE.encode("utf-8"))
    proc = cli("parse", path, "-o", tmp_path / "out", "--max-mb", "0.001")
    assert proc.returncode == 1 and "limit" in proc.stderr and not list((tmp_path / "out").glob("*.json"))
    assert cli("parse", path, "-o", tmp_path / "ok").returncode == 0


def test_time_limit_stops_a_document_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_text(NOTICE * 400, "utf-8")
    proc = cli("parse", src, "-o", tmp_path / "out", "--timeout", "0.05")
    assert proc.returncode == 1
    assert "longer than the time limit" in proc.stderr and "big.txt" in proc.stderr
    assert not list((tmp_path / "out").glob("*.json"))


def test_output_names_stay_inside_the_output_folder(tmp_path):
    src = tmp_path / "in" / "sub"
    src.mkdir(parents=True)
    (src / "..txt").write_text(NOTICE, "utf-8")
    (src / "notice.txt").write_text(NOTICE, "utf-8")
    out = tmp_path / "out"
    proc = cli("parse", tmp_path / "in", src / "..txt", "-o", out)
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert written == ["..json", "sub/notice.json"]      # the hidden file in a folder is skipped, and said so
    assert "1 skipped" in proc.stderr
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))
