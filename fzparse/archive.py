"""Archives as inputs: `.zip` and `.tar` (`.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`) members are
parsed in place — read from the archive into memory, never extracted to disk.

Member names are made safe before they name an output: `\\` is read as `/`, `.` and empty parts
are dropped, and a name that is absolute (`/x`, `C:x`), climbs (`..`) or holds a NUL is refused
with a one-line failure. Hidden members (`.x`, `__MACOSX/`) and links are skipped, like hidden
files in a folder. Zip bombs are refused before anything is unpacked: a member larger than
`max_unzipped_bytes` or `max_bytes`, a member or a whole archive whose unpacked/packed ratio
exceeds `max_zip_ratio` (above 1 MB unpacked), and bytes beyond what a member's header declares.
"""
from __future__ import annotations

import os
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from . import limits as limits_mod
from .limits import MB, Limits
from .models import Document

ZIP_SUFFIXES = (".zip",)
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz")
RATIO_FLOOR = 1 * MB            # below this many unpacked bytes the ratio is not checked (as for DOCX)


def archive_kind(path: Path) -> str | None:
    """'zip' | 'tar' | None, from the name; a `.zip` that is really a DOCX package is no archive."""
    name = path.name.lower()
    if name.endswith(TAR_SUFFIXES):
        return "tar"
    if name.endswith(ZIP_SUFFIXES):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist()[:200])
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return None            # a renamed DOCX: parse it as the document it is
        except (OSError, zipfile.BadZipFile, ValueError):
            pass                       # unreadable: the archive reader says so, with the reason
        return "zip"
    return None


def safe_member_name(name: str) -> str | None:
    """The member's relative path, `/`-separated, or None when the name must be refused (a
    string: made for every member of an archive, where a PurePosixPath cost more than the rest
    of the listing)."""
    if "\x00" in name:
        return None
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) >= 2 and norm[1] == ":" and norm[0].isalpha()):
        return None
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts) or not parts:
        return None
    return "/".join(parts)


def safe_member_path(name: str) -> PurePosixPath | None:
    """The member's relative path, or None when the name must be refused."""
    rel = safe_member_name(name)
    return PurePosixPath(rel) if rel is not None else None


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Names without the UTF-8 flag are cp437 to zipfile; Chinese Windows writes GBK: undo that."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


@dataclass
class Member:
    name: str                        # as stored (decoded)
    rel: str | None                  # safe relative path (safe_member_name); None: refused
    size: int                        # unpacked bytes the header declares
    packed: int | None = None        # compressed bytes (zip)
    skip: str | None = None          # reason it is not parsed (hidden, link, directory)
    error: str | None = None         # reason it fails before reading (unsafe, too large, ratio)


@dataclass
class Listing:
    members: list[Member]
    error: str | None = None         # the whole archive refused or unreadable (after `members`)


def _hidden(rel: str) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in rel.split("/"))


def _member_checks(m: Member, limit: Limits) -> None:
    if m.rel is None:
        m.error = "unsafe member path (absolute, '..' or NUL): refused"
    elif m.size > limit.max_unzipped_bytes:
        m.error = (f"unpacks to {m.size / MB:.1f} MB, limit {limit.max_unzipped_bytes / MB:.0f} MB "
                   "(--max-unzipped-mb)")
    elif m.size > limit.max_bytes:
        m.error = f"{m.size / MB:.1f} MB, limit {limit.max_bytes / MB:.0f} MB (--max-mb)"
    elif m.packed is not None and m.size > RATIO_FLOOR and m.size / max(m.packed, 1) > limit.max_zip_ratio:
        m.error = f"compression ratio {m.size / max(m.packed, 1):.0f} exceeds {limit.max_zip_ratio:g} (zip bomb?)"


def _ratio_error(total: int, archive_size: int, limit: Limits) -> str | None:
    if total > RATIO_FLOOR and total / max(archive_size, 1) > limit.max_zip_ratio:
        return (f"unpacks to {total / MB:.1f} MB from {archive_size / MB:.2f} MB, ratio above "
                f"{limit.max_zip_ratio:g} (--max-zip-ratio; zip bomb?)")
    return None


def list_members(path: Path, kind: str, limit: Limits | None = None) -> Listing:
    """Every member, in archive order, with its safe name or the reason it is refused. Reads
    headers only (a tar is decompressed once, stopping before a member that breaks the ratio)."""
    limit = limit or limits_mod.current()
    try:
        archive_size = path.stat().st_size
    except OSError as err:
        return Listing([], f"unreadable archive ({err.strerror or err})")
    members: list[Member] = []
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
        except (OSError, zipfile.BadZipFile, ValueError) as err:
            return Listing([], f"unreadable zip archive ({err})")
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            name = _zip_name(info)
            m = Member(name, safe_member_name(name), info.file_size, info.compress_size)
            if m.rel is not None and _hidden(m.rel):
                m.skip = "hidden member"
            else:
                _member_checks(m, limit)
            if m.skip is None and m.error is None:
                total += info.file_size      # what would be unpacked: members refused alone are not
            members.append(m)
        err = _ratio_error(total, archive_size, limit)
        return Listing([], err) if err else Listing(members)
    try:
        tf = tarfile.open(path, "r:*")
    except (OSError, tarfile.TarError, EOFError) as err:
        return Listing([], f"unreadable tar archive ({err})")
    total = 0
    try:
        with tf:
            for info in tf:
                if info.isdir():
                    continue
                m = Member(info.name, safe_member_name(info.name), info.size if info.isfile() else 0)
                if not info.isfile():
                    m.skip = "link or special file in archive (not followed)"
                elif m.rel is not None and _hidden(m.rel):
                    m.skip = "hidden member"
                else:
                    _member_checks(m, limit)
                members.append(m)
                total += m.size
                err = _ratio_error(total, archive_size, limit)
                if err:                  # stop before the reader decompresses past this member
                    m.skip, m.error = None, f"not read: the archive {err}"
                    return Listing(members)
    except (OSError, tarfile.TarError, EOFError, zlib.error) as err:
        return Listing(members, f"damaged tar archive ({err})")
    return Listing(members)


def iter_member_bytes(path: Path, kind: str, wanted: list[Member],
                      limit: Limits | None = None) -> Iterator[tuple[Member, bytes | None, str | None]]:
    """(member, bytes, None) or (member, None, reason) for each of `wanted`, in archive order.
    A tar is read as a stream, once; a zip member by its central-directory entry."""
    limit = limit or limits_mod.current()
    if kind == "zip":
        try:
            zf = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile, ValueError) as err:
            for m in wanted:
                yield m, None, f"unreadable zip archive ({err})"
            return
        with zf:
            by_name = _zip_members(zf)
            for m in wanted:
                data, err = _read_zip_member(zf, by_name.get(m.name))
                yield m, data, err
        return
    queue = list(wanted)
    pos = 0
    try:
        with tarfile.open(path, "r|*") as tf:
            for info in tf:
                if pos >= len(queue):
                    break
                m = queue[pos]
                if info.name != m.name:
                    continue
                pos += 1
                fh = tf.extractfile(info)
                if fh is None:
                    yield m, None, "not a regular file"
                    continue
                data = fh.read(min(info.size, limit.max_bytes) + 1)
                if len(data) > info.size:
                    yield m, None, "member longer than its header declares"
                    continue
                yield m, data, None
                if pos >= len(queue):
                    return               # never decompress past the last member wanted
    except (OSError, tarfile.TarError, EOFError, zlib.error) as err:
        for m in queue[pos:]:
            yield m, None, f"damaged tar archive ({err})"
        return
    for m in queue[pos:]:
        yield m, None, "member vanished from the archive"


def _zip_members(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    return {_zip_name(i): i for i in zf.infolist() if not i.is_dir()}


def _read_zip_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> tuple[bytes | None, str | None]:
    """(bytes, None) or (None, reason); never more bytes than the member's header declares."""
    if info is None:
        return None, "member vanished from the archive"
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, RuntimeError, NotImplementedError, zlib.error) as err:
        return None, f"damaged archive member ({err})"
    if len(data) > info.file_size:
        return None, "member unpacks to more than its header declares (zip bomb?)"
    return data, None


class MemberError(Exception):
    """A zip member that cannot be read; the message is the reason."""


_open_zip: tuple | None = None      # (pid, path, (inode, size, mtime), ZipFile, members by name)


def read_zip_member(path: str, name: str) -> bytes:
    """One member of a zip, read by the work itself (the parent sends only its name), with the
    checks iter_member_bytes makes; MemberError with the reason. The archive stays open for the
    next member — its directory is read once per process, not once per member — and is opened
    again in a forked child (a shared file offset) or when the file changed."""
    global _open_zip
    try:
        st = os.stat(path)
        key = (os.getpid(), path, (st.st_ino, st.st_size, st.st_mtime_ns))
        if _open_zip is None or _open_zip[:3] != key:
            close_zip()
            zf = zipfile.ZipFile(path)
            _open_zip = (*key, zf, _zip_members(zf))
    except (OSError, zipfile.BadZipFile, ValueError) as err:
        raise MemberError(f"unreadable zip archive ({err})") from None
    data, err = _read_zip_member(_open_zip[3], _open_zip[4].get(name))
    if err:
        raise MemberError(err)
    return data


def close_zip() -> None:
    """Close the zip read_zip_member keeps open (one opened by this process only)."""
    global _open_zip
    if _open_zip is not None and _open_zip[0] == os.getpid():
        _open_zip[3].close()
    _open_zip = None


# ----------------------------------------------------------------------------- parsing bytes

def parse_member(name: str | Path, data: bytes, limits: Limits | None = None) -> Document:
    """Parse one archive member from its bytes; `name` (ARCHIVE/MEMBER) names it in messages."""
    from .pipeline import document_key, parse_raw
    from .read import read_bytes
    path = Path(name)
    with limits_mod.using(limits):
        raw = read_bytes(path, data)
        return parse_raw(raw, document_key(path))


__all__ = ["archive_kind", "safe_member_name", "safe_member_path", "list_members", "iter_member_bytes", "read_zip_member", "close_zip",
           "parse_member", "Member", "Listing", "MemberError"]
