"""What the apps' admin classes share: a record that the admin shows and never edits."""

from django.contrib import admin

from actions.hygiene import CleanTextModelForm


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record (a plan load, a confirmation, a supervision event): listed and shown, never
    added, changed or deleted here — the service that writes it is the only way in."""

    form = CleanTextModelForm

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
