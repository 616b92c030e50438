"""Replace the whole database with a file written by `backup`, all or nothing."""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from indicators.management.commands.backup import check_name
from indicators.status.refresh import months_in_use, status_refresh


class Command(BaseCommand):
    help = "用 backup 生成的文件替换整个数据库的内容(全部成功或全部不变)"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, interactive, database, **options):
        source = check_name(path)
        if not source.is_file():
            raise CommandError(f"备份文件不存在:{path}")
        if interactive:
            answer = input(f"将用 {path} 替换数据库中的全部数据,现有数据将被删除。输入 yes 继续:")
            if answer.strip() != "yes":
                raise CommandError("已取消,数据库未改动。")
        try:
            connection = connections[database]
            with transaction.atomic(using=database):
                if connection.vendor == "postgresql":
                    # Checks deferred by an enclosing transaction must run before TRUNCATE.
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # Empty every table without re-creating content types and permissions:
                # the file brings them back with their original ids.
                call_command("flush", interactive=False, inhibit_post_migrate=True, database=database, verbosity=0)
                call_command("loaddata", str(source.resolve()), database=database, verbosity=0)
        except Exception as exc:
            raise CommandError(f"恢复失败,数据库未改动:{exc}") from exc
        ContentType.objects.clear_cache()
        cache.clear()  # results computed from the replaced data
        # Statuses of the restored figures, by today's calendar and rules (not the file's rows).
        status_refresh(periods=months_in_use())
        self.stdout.write(f"已从 {path} 恢复数据库。")
