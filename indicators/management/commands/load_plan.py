"""Load or update a year's plan from a plan file (fixtures/PLAN_FORMAT.md)."""

import getpass
import hashlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from indicators.planfile.parse import PlanFileError, parse_plan
from indicators.services.plan import plan_load

SHOWN = 80  # changes printed; the record keeps them all


class Command(BaseCommand):
    help = "载入或更新年度方案文件(YAML),全部通过校验才写入;--dry-run 只列出将要发生的变更"

    def add_arguments(self, parser):
        parser.add_argument("path", help="方案文件路径,例如 fixtures/plan_2022.yaml")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发生的变更,不写入")
        parser.add_argument("--user", help="载入人的用户名(记入方案载入记录)")

    def handle(self, *args, path, dry_run, user, **options):
        try:
            raw = Path(path).read_bytes()
            text = raw.decode("utf-8-sig")
        except OSError as exc:
            raise CommandError(f"无法读取方案文件 {path}:{exc}") from None
        except UnicodeDecodeError:
            raise CommandError(f"方案文件 {path} 不是 UTF-8 编码,请用 UTF-8 编码另存后再载入") from None
        loaded_by = None
        if user:
            loaded_by = get_user_model().objects.filter(username=user).first()
            if loaded_by is None:
                raise CommandError(f"没有用户“{user}”,未载入任何内容")
        try:
            spec = parse_plan(text)
        except PlanFileError as exc:
            raise CommandError(
                f"方案文件 {path} 有 {len(exc.problems)} 处错误,未载入任何内容:\n" + "\n".join(exc.problems)
            ) from None
        try:
            result = plan_load(
                spec=spec,
                file_name=Path(path).name,
                sha256=hashlib.sha256(raw).hexdigest(),
                user=loaded_by,
                os_user=_os_user(),
                dry_run=dry_run,
            )
        except (ValidationError, IntegrityError) as exc:
            # What the file's checks cannot see: a clash with data already in the database.
            detail = ";".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(f"方案文件 {path} 与数据库中已有数据冲突,未载入任何内容:{detail}") from None
        if dry_run:
            self.stdout.write(f"{spec.year}年方案(试载入,未写入):{result.summary()}")
        else:
            self.stdout.write(f"{spec.year}年方案:{result.summary()}")
        if result.counts[("方案", "created")]:
            return  # a first load: every row is new, the summary says how many
        for line in result.changes[:SHOWN]:
            self.stdout.write(f"  {line}")
        if len(result.changes) > SHOWN:
            self.stdout.write(f"  ……另有 {len(result.changes) - SHOWN} 项(完整明细见方案载入记录)")
        if dry_run and result.changed:
            self.stdout.write(f"确认无误后执行:python manage.py load_plan {path}")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's arbitrary uid)
        return ""
