"""Built reports (monthly dispatch, quarterly bulletin), their versions and build jobs,
and the office's short texts for a quarter's bulletin.

A `ReportSeries` is one report (kind + period) and its build job; it is also the row a
build locks, so that two builds (or a build and an issue) of the same report never write
at once. Each build adds a `Report` draft beside the issued version: 草稿 → 送审 → 已印发,
and only the office's next issue supersedes an issued version. A `CorrectionNotice` is
the 更正通知 of an issued version whose printed figures a correction changed."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    DISPATCH = "dispatch", "月调度"
    BULLETIN = "bulletin", "季通报"


class ReportSeries(models.Model):
    """One report (月调度 2022-06, 季通报 2022Q2) and the state of its latest build job."""

    class Job(models.TextChoices):
        IDLE = "idle", "无任务"
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "生成失败"

    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    key = models.CharField("期次", max_length=7, help_text="月份如 2022-06,季度如 2022Q2")
    job_state = models.CharField("任务状态", max_length=10, choices=Job.choices, default=Job.IDLE)
    task_id = models.CharField("任务编号", max_length=50, blank=True)
    error = models.TextField("错误信息", blank=True)
    requested_at = models.DateTimeField("提交时间", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # What the queued job is to do, written by the service that checked who asked: the
    # worker reads it from here, never from the task's arguments (which anyone able to
    # send a task could forge).
    changes = models.JSONField("待生成的更正内容", default=list, blank=True)
    issue = models.BooleanField("生成后印发", default=False)
    # Touched every few seconds by the running build: a job whose heartbeat stopped has
    # lost its worker, whatever that worker is called (reports.jobs).
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "报告生成任务"
        ordering = ["-key", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="report_series_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key}"


def _upload_to(instance, filename):
    return f"reports/{instance.kind}/{instance.key}/{filename}"


class Report(models.Model):
    """One built version of a report, with its files."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEW = "review", "送审"
        ISSUED = "issued", "已印发"
        SUPERSEDED = "superseded", "已被新版本替代"

    series = models.ForeignKey(ReportSeries, verbose_name="报告", on_delete=models.CASCADE, related_name="versions")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    key = models.CharField("期次", max_length=7)
    version = models.PositiveIntegerField("版本")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT)
    is_correction = models.BooleanField("更正版", default=False)
    changes = models.JSONField("更正内容", default=list, blank=True, help_text="指标、单位、原值、新值、状态变化")
    title = models.CharField("标题", max_length=200)
    content = models.JSONField("内容", default=list, help_text="生成时的内容块,网页按此显示")
    docx = models.FileField("Word文件", upload_to=_upload_to, blank=True, max_length=300)
    pdf = models.FileField("PDF文件", upload_to=_upload_to, blank=True, max_length=300)
    xlsx = models.FileField("Excel附件", upload_to=_upload_to, blank=True, max_length=300)
    final_docx = models.FileField(
        "定稿Word", upload_to=_upload_to, blank=True, max_length=300, help_text="市优化办线下修改后上传的定稿,领导下载此版本"
    )
    final_uploaded_at = models.DateTimeField("定稿上传时间", null=True, blank=True)
    final_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="定稿上传人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    built_at = models.DateTimeField("生成时间")
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField("任务编号", max_length=50, blank=True)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="印发人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    doc_number = models.CharField("发文字号", max_length=40, blank=True, help_text="印发时编号,如 衡优化办通〔2022〕3号")
    doc_date = models.DateField("成文日期", null=True, blank=True, help_text="草稿为按计划生成之日,印发时由市优化办确定")
    head = models.JSONField("版头版记", default=dict, blank=True, help_text="发文机关、字号、主送、附件、抄送、日期")
    printed = models.JSONField(
        "所印数据", default=dict, blank=True, help_text="生成时文中所印的数值、状态、合计和排名,印发后不再改变(更正通知据此比对)"
    )

    class Meta:
        verbose_name = verbose_name_plural = "报告版本"
        ordering = ["-key", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "version"], name="report_version_unique"),
            # The last line of defence: whatever the code does, one draft, one version in
            # review and one issued version of a report at a time.
            models.UniqueConstraint(
                fields=["kind", "key", "state"], condition=~Q(state="superseded"), name="report_one_version_per_state"
            ),
            models.CheckConstraint(name="report_issued_has_date", condition=~Q(state="issued") | Q(issued_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} 第{self.version}版"

    @property
    def is_current(self) -> bool:
        return self.state != self.State.SUPERSEDED

    @property
    def is_working(self) -> bool:
        """A draft or a version in review: the office may still change or replace it."""
        return self.state in (self.State.DRAFT, self.State.REVIEW)

    @property
    def was_issued(self) -> bool:
        """Issued at some time (a superseded issued version stays visible to leaders)."""
        return self.issued_at is not None

    def file_for(self, fmt: str):
        """The file leaders download in a format: the office's final Word if uploaded."""
        if fmt == "docx" and self.final_docx:
            return self.final_docx
        return getattr(self, fmt) if fmt in ("docx", "pdf", "xlsx") else None


class BulletinNote(models.Model):
    """A good practice or a negative case entered by the office for a quarter's bulletin."""

    class Kind(models.TextChoices):
        GOOD = "good", "典型经验做法"
        NEGATIVE = "negative", "反面典型案例"

    key = models.CharField("季度", max_length=7, help_text="如 2022Q2")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "actions.Unit", verbose_name="涉及单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("内容", max_length=500)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "季通报典型案例"
        ordering = ["key", "kind", "created_at", "pk"]

    def __str__(self):
        return f"{self.key} {self.get_kind_display()}:{self.text[:20]}"


class ReminderLog(models.Model):
    """One 催报 delivery: which unit (and user) was reminded of which month, when, by
    which channel, whether it arrived. Units nobody can be reached at are logged as
    电话催报 (to phone), so the office sees who still needs a call."""

    class Channel(models.TextChoices):
        MAIL = "mail", "邮件"
        IN_APP = "in_app", "站内通知"
        WEBHOOK = "webhook", "群机器人"
        PHONE = "phone", "待电话催报"

    period = models.DateField("月份", help_text="该月1日")
    unit = models.ForeignKey("actions.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="reminder_logs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField("方式", max_length=10, choices=Channel.choices)
    ok = models.BooleanField("送达", default=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    # What a robot or mail server answered, for admins only: it may name internal hosts.
    detail = models.CharField("技术细节", max_length=1000, blank=True, help_text="仅管理员可见")
    sent_at = models.DateTimeField("时间", auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="催报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="空表示定时任务",
    )

    class Meta:
        verbose_name = verbose_name_plural = "催报记录"
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["period", "-sent_at"], name="reminderlog_period_sent")]

    def __str__(self):
        return f"{self.unit} · {self.period:%Y-%m} · {self.get_channel_display()}"


class DocNumber(models.Model):
    """The last 发文字号 given in a series (通报, 调度) and year. Numbers are taken with the
    row locked and never given back: an issued number is never reused."""

    series = models.CharField("文号系列", max_length=10, choices=Kind.choices)
    year = models.PositiveIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "发文字号序列"
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="doc_number_series_year_unique")]

    def __str__(self):
        return f"{self.get_series_display()} {self.year}:{self.last}"


class FinalDocx(models.Model):
    """Every final Word file the office uploaded for a version, oldest first: an upload
    adds a file and never replaces one (the version points at the newest)."""

    report = models.ForeignKey(Report, verbose_name="报告版本", on_delete=models.CASCADE, related_name="final_files")
    file = models.FileField("定稿Word", upload_to=_upload_to, max_length=300)
    uploaded_at = models.DateTimeField("上传时间")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "定稿Word历次上传"
        ordering = ["report", "uploaded_at", "pk"]

    def __str__(self):
        return f"{self.report} 定稿 {self.uploaded_at:%Y-%m-%d %H:%M}"


class ReportSettings(models.Model):
    """The office's settings for its documents (one row, edited in admin): who issues and
    signs, to whom they go, the 抄送 list, whether the 署名 is sealed, the 红黑榜; and
    how often the same unit may be reminded (催报) for the same month."""

    issuer = models.CharField("发文机关全称", max_length=60, default="衡阳市优化营商环境领导小组办公室")
    issuer_short = models.CharField("发文机关简称", max_length=20, default="市优化办")
    dispatch_to = models.CharField("月调度主送机关", max_length=200, default="各县市区人民政府、园区管委会，市直及驻衡有关单位")
    bulletin_to = models.CharField("季通报主送机关", max_length=200, default="各县市区人民政府、园区管委会，市直及驻衡有关单位")
    cc = models.CharField(
        "抄送",
        max_length=300,
        blank=True,
        default="市委办公室，市人大常委会办公室，市政府办公室，市政协办公室",
        help_text="以逗号分隔的抄送机关,留空则版记不列抄送",
    )
    sealed = models.BooleanField("加盖印章", default=False, help_text="加盖印章时署名以成文日期居中,否则按不加盖印章格式编排")
    red_black_list = models.BooleanField("季通报列红黑榜", default=False, help_text="勾选后季通报按综合得分列出红榜和黑榜")
    reminder_interval_hours = models.PositiveIntegerField(
        "催报最短间隔(小时)", default=24, help_text="同一单位同一月份两次手动催报之间至少间隔的小时数"
    )
    # 附注 (GB/T 9704 7.3.6): the document's 公开属性 and whom to ask, under the 成文日期.
    disclosure = models.CharField(
        "公开属性", max_length=20, default="此件依申请公开", help_text="如“此件公开发布”“此件依申请公开”“此件不予公开”"
    )
    contact = models.CharField(
        "联系人", max_length=60, blank=True, default="市优化办综合科", help_text="附注中的联系人和联系电话,留空则不列"
    )

    class Meta:
        verbose_name = verbose_name_plural = "公文设置"

    def __str__(self):
        return "公文设置"

    @classmethod
    def current(cls) -> "ReportSettings":
        """The one row, with its defaults when the office never saved it (a read never writes)."""
        return cls.objects.order_by("pk").first() or cls()


class CorrectionNotice(models.Model):
    """关于更正《…》(文号)的通知: drafted when the office accepts a corrected month that an
    issued version printed; the office reviews and issues it with its own number. It lists
    what the original printed and what the correction makes of it (`changes`), computed
    from the original's printed facts, never from the day's data."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEW = "review", "送审"
        ISSUED = "issued", "已印发"

    original = models.ForeignKey(Report, verbose_name="被更正的公文", on_delete=models.PROTECT, related_name="notices")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    title = models.CharField("标题", max_length=300)
    changes = models.JSONField("更正内容", default=dict, help_text="数值(单位、指标、原值、更正值、状态),合计和排名的变化")
    printed = models.JSONField("更正后的数据", default=dict, help_text="原文所印数据加上本通知的更正,下一次更正据此比对")
    content = models.JSONField("内容", default=list)
    head = models.JSONField("版头版记", default=dict, blank=True)
    docx = models.FileField("Word文件", upload_to="reports/notices/", blank=True, max_length=300)
    pdf = models.FileField("PDF文件", upload_to="reports/notices/", blank=True, max_length=300)
    drafted_at = models.DateTimeField("起草时间")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="采纳更正的人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="印发人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    doc_number = models.CharField("发文字号", max_length=40, blank=True)
    doc_date = models.DateField("成文日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "更正通知"
        ordering = ["original", "drafted_at", "pk"]
        constraints = [
            # One notice being drafted per original: a later correction joins it.
            models.UniqueConstraint(fields=["original"], condition=~Q(state="issued"), name="notice_one_open_per_original"),
            models.CheckConstraint(
                name="notice_issued_has_number", condition=~Q(state="issued") | (Q(issued_at__isnull=False) & ~Q(doc_number=""))
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_working(self) -> bool:
        return self.state != self.State.ISSUED


# 督查督办 (issue 22): its models live in their own module, under this app's label.
from reports.supervision.models import (  # noqa: E402,F401
    Evidence,
    Finding,
    OrderNumber,
    OrderProposal,
    ProposalRule,
    SupervisionAnswer,
    SupervisionEvent,
    SupervisionOrder,
    SupervisionSettings,
)
