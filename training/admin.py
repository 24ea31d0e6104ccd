from django.contrib import admin

from .models import Completion, Module, Requirement, Workshop


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "audience", "topic", "status", "program"]
    list_filter = ["status", "language", "audience", "topic"]
    search_fields = ["title"]


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["program", "role", "module", "due_days"]
    list_filter = ["role"]


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ["person", "module", "completed_at", "score", "signed_off_at"]
    raw_id_fields = ["person"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "starts_at", "capacity", "cancelled_at"]
