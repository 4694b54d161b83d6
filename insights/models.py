"""Customer insight (domain.md §8-9): behavioural segments from a client's transactions,
and competitor benchmarks from social listening exports."""

import contextlib
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from workspaces.models import Client


def upload_to(analysis: "SegmentAnalysis", filename: str) -> str:
    # Private, named by id; the raw upload is deleted once processed.
    return f"uploads/{analysis.client.workspace_id}/{analysis.id}.csv"


def table_to(analysis: "SegmentAnalysis", filename: str) -> str:
    return f"insights/{analysis.client.workspace_id}/{analysis.id}.parquet"


class SegmentAnalysis(models.Model):
    """One upload of transactions, analysed as of a date: RFM scores, segments, latency."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PROCESSING = "processing", _("Processing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="segment_analyses")
    name = models.CharField(_("name"), max_length=120)
    as_of = models.DateField(_("analysis date"))
    k = models.DecimalField(
        _("defection trigger (k × usual gap)"),
        max_digits=4,
        decimal_places=2,
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    lifetime_years = models.DecimalField(
        _("expected lifetime in years"), max_digits=5, decimal_places=2, default=3
    )
    margin = models.DecimalField(_("margin"), max_digits=4, decimal_places=3, default=1)
    cost = models.DecimalField(
        _("cost to acquire and serve, per customer"), max_digits=12, decimal_places=2, default=0
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error message"), max_length=4000, blank=True)
    upload = models.FileField(upload_to=upload_to, blank=True)
    table = models.FileField(upload_to=table_to, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    customers = models.PositiveIntegerField(null=True, blank=True)
    window_days = models.PositiveIntegerField(null=True, blank=True)
    # The grid, segments with lifetime value and the top of the defection list, recomputed
    # from `table` when k or the lifetime inputs change.
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The background job's lease (cxmaturity.leases): when a worker last claimed it, until
    # when that claim holds, and how many claims there were.
    started_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Big files arrive otherwise than in `upload`: by chunks (deleted once read), or as a
    # file the workspace put in the store itself (read, never deleted: it is theirs).
    source_upload = models.ForeignKey(
        "ChunkedUpload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ChunkedUpload(models.Model):
    """A big file arriving in numbered chunks, each stored as its own object, so a lost
    connection costs one chunk and no process ever holds the whole file."""

    class Kind(models.TextChoices):
        TRANSACTIONS = "transactions", _("Transactions")
        LISTENING = "listening", _("Social listening")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="chunked_uploads")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField(max_length=200)
    total_size = models.PositiveBigIntegerField()
    chunk_size = models.PositiveIntegerField()
    completed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def chunk_count(self) -> int:
        return max(1, -(-self.total_size // self.chunk_size))

    def chunk_bytes(self, index: int) -> int:
        """The exact size chunk `index` must have: the last one takes the remainder."""
        if index < self.chunk_count - 1:
            return self.chunk_size
        return self.total_size - self.chunk_size * (self.chunk_count - 1)

    def chunk_name(self, index: int) -> str:
        # Named by the upload alone, so its row can delete them however it goes.
        return f"chunks/{self.id}/{index:06d}"


class UploadChunk(models.Model):
    """One chunk that has fully arrived (its row is written after its object is stored)."""

    upload = models.ForeignKey(ChunkedUpload, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "index"], name="upload_chunk_once")
        ]

    def __str__(self) -> str:
        return f"{self.upload_id} #{self.index}"


class ListeningMonth(models.Model):
    """One brand's social listening figures for one month and source."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="listening")
    brand = models.CharField(_("brand"), max_length=120)
    # The client's own brand, as named in the export (the rest are competitors).
    is_client = models.BooleanField(default=False)
    month = models.DateField(_("month"))  # the first day
    source = models.CharField(_("source"), max_length=80, blank=True)
    mentions = models.PositiveIntegerField(_("mentions"))
    positive = models.PositiveIntegerField(_("positive"))
    negative = models.PositiveIntegerField(_("negative"))
    shares = models.PositiveIntegerField(_("shares"))
    reviews = models.PositiveIntegerField(_("reviews"))
    rating = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    # The exact sum of rating x 100 x reviews of the export rows added up into this one
    # (insights.listening.STORED); empty on rows stored one by one before that.
    rating_points = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["month", "brand", "source"]
        indexes = [models.Index(fields=["client", "month"])]

    def __str__(self) -> str:
        return f"{self.brand} {self.month:%Y-%m}"


class ListeningImport(models.Model):
    """One listening export being checked, added up and stored by the worker (files of any
    size up to INSIGHT_UPLOAD_MAX_BYTES): all its months or none."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="listening_imports")
    file_name = models.CharField(_("file"), max_length=200)
    client_brand = models.CharField(_("client's brand"), max_length=120)
    mapping = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # The file's problems, each naming its row and column (the first 100), or one message.
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(_("error message"), max_length=4000, blank=True)
    rows = models.PositiveBigIntegerField(null=True, blank=True)
    months = models.PositiveIntegerField(null=True, blank=True)
    brands = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The file: by chunks (deleted once read), or the workspace's own file in the store.
    source_upload = models.ForeignKey(
        "ChunkedUpload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


@receiver(post_delete, sender=SegmentAnalysis)
def _analysis_files_deleted(sender: type, instance: SegmentAnalysis, **kwargs) -> None:
    # However the row goes (its own delete, or its client's), the customer table and any
    # raw upload go too, once the deletion is committed.
    for field in (instance.upload, instance.table):
        if field.name:
            storage, name = field.storage, field.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


@receiver(post_delete, sender=ChunkedUpload)
def _upload_chunks_deleted(sender: type, instance: ChunkedUpload, **kwargs) -> None:
    # Expired, read, or gone with its client: the chunks go once the deletion is committed.
    from django.core.files.storage import default_storage

    # Named now: the deletion clears the instance's id.
    names = [instance.chunk_name(index) for index in range(instance.chunk_count)]

    def delete() -> None:
        for name in names:
            with contextlib.suppress(OSError):  # a leftover chunk harms nothing; it is named
                default_storage.delete(name)  # by an id no row holds any more

    transaction.on_commit(delete)
