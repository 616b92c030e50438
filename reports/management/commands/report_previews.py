"""PNG pages of the reports as people will see them, to look at before they go out:

    python manage.py report_previews            # dispatch 2022-06, bulletin 2022Q2 and 2022Q4
    python manage.py report_previews dispatch:2022-06

Builds each report (a new draft version) on the current database, then writes into
var/previews/ one PNG per page of its PDF and of its .docx as LibreOffice renders it."""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.builders.common import BuildError
from reports.builders.soffice import docx_to_pdf, page_count
from reports.services.build import report_build

DEFAULT = ["dispatch:2022-06", "bulletin:2022Q2", "bulletin:2022Q4"]


class Command(BaseCommand):
    help = "生成报告并把 PDF 和 LibreOffice 转换的 Word 每页存为 PNG(var/previews/)"

    def add_arguments(self, parser):
        parser.add_argument("reports", nargs="*", help="类别:期次,如 dispatch:2022-06 bulletin:2022Q2")
        parser.add_argument("--dpi", type=int, default=60)

    def handle(self, *args, reports, dpi, **options):
        if not shutil.which("pdftoppm"):
            raise CommandError("缺少 pdftoppm(Debian 软件包 poppler-utils)。")
        out = Path(settings.BASE_DIR) / "var" / "previews"
        out.mkdir(parents=True, exist_ok=True)
        for item in reports or DEFAULT:
            kind, _, key = item.partition(":")
            try:
                report = report_build(kind=kind, key=key)
            except BuildError as e:
                raise CommandError(str(e)) from e
            media = Path(settings.MEDIA_ROOT)
            pdf = media / report.pdf.name
            for old in (out / "lo").glob(f"{kind}-{key}-v*.pdf"):  # earlier versions' renderings
                old.unlink()
            lo_pdf = docx_to_pdf(media / report.docx.name, out / "lo")
            for label, path in (("pdf", pdf), ("docx", lo_pdf)):
                prefix = out / f"{kind}-{key}-{label}"
                for old in out.glob(f"{prefix.name}-*.png"):
                    old.unlink()
                subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(path), str(prefix)], check=True)
            self.stdout.write(f"{report}: PDF {page_count(pdf)} 页, LibreOffice {page_count(lo_pdf)} 页 → {out}")
