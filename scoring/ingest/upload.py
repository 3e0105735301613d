"""An uploaded campaign (a zip, or the files) written into a folder, within bounds.

Nothing an upload holds is trusted: a zip's paths are reduced to their file names, only the
campaign's known files are kept, and the number of entries, each file's size and the total
expanded size are limited as the bytes are read (a zip's declared sizes can lie), so that no
upload can fill the server's memory or disk. Every refusal names the file and the limit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Protocol

from scoring.core.errors import CampaignError, Problem

# every file of the campaign format (docs/campaign-format.md); anything else in a zip is left out
KNOWN = {
    "campaign.yaml",
    "units.csv",
    "values.csv",
    "values.xlsx",
    "values.parquet",
    "secretaries.csv",
    "surveys.csv",
    "surveys.xlsx",
    "baseline.csv",
}
MAX_UPLOAD_MB = 200  # one uploaded file, and everything a zip expands to
MAX_ZIP_ENTRIES = 100
CHUNK = 1 << 20


class Upload(Protocol):
    name: str

    def getvalue(self) -> bytes: ...


def _too_large(name: str) -> CampaignError:
    return CampaignError([Problem(name, None, None, "upload_too_large", {"mb": MAX_UPLOAD_MB})])


def unpack(files: Iterable[Upload], folder: Path) -> list[str]:
    """Write the campaign's known files into ``folder``; returns their names."""
    limit = MAX_UPLOAD_MB * 1024 * 1024
    written: list[str] = []
    total = 0
    for f in files:
        payload = f.getvalue()
        if len(payload) > limit:
            raise _too_large(f.name)
        if f.name.lower().endswith(".zip"):
            try:
                archive = zipfile.ZipFile(io.BytesIO(payload))
            except zipfile.BadZipFile:
                raise CampaignError([Problem(f.name, None, None, "zip_invalid", {})]) from None
            with archive as z:
                entries = z.infolist()
                if len(entries) > MAX_ZIP_ENTRIES:
                    raise CampaignError(
                        [
                            Problem(
                                f.name,
                                None,
                                None,
                                "zip_entries",
                                {"n": len(entries), "limit": MAX_ZIP_ENTRIES},
                            )
                        ]
                    )
                for info in entries:
                    name = PurePosixPath(info.filename.replace("\\", "/")).name
                    if name not in KNOWN or info.is_dir():
                        continue
                    if name in written:
                        raise CampaignError([Problem(f.name, None, None, "zip_duplicate", {"file": name})])
                    total += _extract(z, info, folder / name, limit - total, f.name)
                    written.append(name)
        elif f.name in KNOWN:
            total += len(payload)
            if total > limit:
                raise _too_large(f.name)
            (folder / f.name).write_bytes(payload)
            written.append(f.name)
    return written


def _extract(z: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, room: int, archive: str) -> int:
    """Stream one entry to ``target``, refusing it once it passes ``room`` bytes."""
    size = 0
    try:
        with z.open(info) as src, target.open("wb") as dst:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > room:
                    raise _too_large(f"{archive}:{info.filename}")
                dst.write(chunk)
    except CampaignError:
        target.unlink(missing_ok=True)
        raise
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        target.unlink(missing_ok=True)
        raise CampaignError(
            [Problem(archive, None, None, "zip_invalid_entry", {"file": info.filename, "detail": str(exc)})]
        ) from None
    return size
