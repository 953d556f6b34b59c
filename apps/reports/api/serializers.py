"""The report as JSON: the query it answers, and the figures of ``selectors.report_figures``.

Read-only serializers over the ``figures`` dataclasses, so the API serves the very numbers
the dashboard, the exports and the PDF show.
"""

from rest_framework import serializers

from apps.accounts.models import Structure

from ..periods import period_errors


class PeriodQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="First day of the period (YYYY-MM-DD), included.")
    end = serializers.DateField(help_text="Last day of the period (YYYY-MM-DD), included.")
    structure = serializers.PrimaryKeyRelatedField(
        queryset=Structure.objects.all(),
        required=False,
        allow_null=True,
        help_text="A partner structure's id: its own donations, courses and allocations. All when absent.",
    )

    def validate(self, data):
        errors = period_errors(data.get("start"), data.get("end"))
        if errors:
            raise serializers.ValidationError({name: [message] for name, message in errors.items()})
        return data


def Kg(**kwargs):  # noqa: N802 - reads as a field class
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False, **kwargs)


def Rate(**kwargs):  # noqa: N802
    return serializers.FloatField(allow_null=True, **kwargs)


class ReportStockLineSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    devices = serializers.IntegerField()


class ReportDevicesSerializer(serializers.Serializer):
    collected = serializers.IntegerField(help_text="Devices of the donations received in the period.")
    made_ready = serializers.IntegerField(help_text="Moves into 'ready' from reconditioning in the period.")
    handed_over = serializers.IntegerField(help_text="Moves into 'allocated' in the period.")
    returned = serializers.IntegerField()
    recycled = serializers.IntegerField()
    destroyed = serializers.IntegerField()
    lost = serializers.IntegerField()
    end_of_life = serializers.IntegerField(help_text="Recycled or destroyed.")
    kg_collected = Kg()
    kg_handed_over = Kg(help_text="Weight of the devices handed over (reused).")
    handed_over_weight_unknown = serializers.IntegerField(help_text="Devices handed over without a weight.")
    kg_recycled = Kg()
    kg_destroyed = Kg()
    kg_diverted = Kg(help_text="Weight of the devices recycled or destroyed.")
    avg_days_collection_to_ready = Rate()
    avg_days_ready_to_handover = Rate()
    stock = ReportStockLineSerializer(many=True, help_text="Devices by status today, whatever the period.")
    allocated_gift = serializers.IntegerField(help_text="Devices allocated today, as a gift.")
    allocated_loan = serializers.IntegerField(help_text="Devices allocated today, as a loan.")


class ReportMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="First day of the month.")
    collected = serializers.IntegerField()
    made_ready = serializers.IntegerField()
    handed_over = serializers.IntegerField()


class ReportHandoversSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    gift = serializers.IntegerField()
    loan = serializers.IntegerField()
    devices = serializers.IntegerField()
    devices_gift = serializers.IntegerField()
    devices_loan = serializers.IntegerField()
    before_rule = serializers.IntegerField(help_text="Handed over before the course rule was met.")


class ReportStagesSerializer(serializers.Serializer):
    referred = serializers.IntegerField()
    enrolled = serializers.IntegerField()
    completed = serializers.IntegerField()
    equipped = serializers.IntegerField()


class ReportBreakdownSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The code of the line; empty for 'not given'.")
    label = serializers.CharField()
    is_priority = serializers.BooleanField(allow_null=True, help_text="For a neighbourhood: a QPV.")
    referred = serializers.IntegerField(source="stages.referred")
    enrolled = serializers.IntegerField(source="stages.enrolled")
    completed = serializers.IntegerField(source="stages.completed")
    equipped = serializers.IntegerField(source="stages.equipped")


class ReportPriorityShareSerializer(serializers.Serializer):
    referred = Rate()
    enrolled = Rate()
    completed = Rate()
    equipped = Rate()


class ReportHouseholdsSerializer(serializers.Serializer):
    referred = serializers.IntegerField(source="total.referred")
    enrolled = serializers.IntegerField(source="total.enrolled")
    completed = serializers.IntegerField(source="total.completed")
    equipped = serializers.IntegerField(source="total.equipped")
    priority = ReportStagesSerializer(help_text="Of them, households in a priority neighbourhood (QPV).")
    priority_share = serializers.SerializerMethodField(help_text="QPV share in %.")
    by_neighbourhood = ReportBreakdownSerializer(many=True)
    by_referrer = ReportBreakdownSerializer(many=True)
    by_gender = ReportBreakdownSerializer(many=True)
    by_age_bracket = ReportBreakdownSerializer(many=True)

    def get_priority_share(self, households) -> ReportPriorityShareSerializer:
        return {
            name: households.priority_share(name)
            for name in ("referred", "enrolled", "completed", "equipped")
        }


class ReportTrainingSerializer(serializers.Serializer):
    courses = serializers.IntegerField()
    sessions_held = serializers.IntegerField()
    households_enrolled = serializers.IntegerField()
    households_completed = serializers.IntegerField()
    waiting = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    attendance_expected = serializers.IntegerField()
    attendance_present = serializers.IntegerField()
    attendance_rate = Rate(help_text="In %.")
    completion_rate = Rate(help_text="In %.")


class ReportFollowUpsSerializer(serializers.Serializer):
    follow_ups = serializers.IntegerField()
    reached = serializers.IntegerField()
    in_use = serializers.IntegerField()
    not_in_use = serializers.IntegerField()
    problems = serializers.IntegerField()
    needs_repair = serializers.IntegerField()
    in_use_rate = Rate(help_text="Of the households reached, in %.")


class ReportSummarySerializer(serializers.Serializer):
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    structure = serializers.IntegerField(source="structure.pk", allow_null=True)
    structure_name = serializers.CharField(source="structure.name", allow_null=True)
    devices_collected = serializers.IntegerField(source="devices.collected")
    devices_ready = serializers.IntegerField(
        source="devices.made_ready", help_text="Made ready in the period."
    )
    devices_handed_over = serializers.IntegerField(source="devices.handed_over")
    devices_returned = serializers.IntegerField(source="devices.returned")
    devices_recycled = serializers.IntegerField(
        source="devices.end_of_life", help_text="Recycled or destroyed."
    )
    kg_diverted = Kg(source="devices.kg_diverted", help_text="Weight of the devices recycled or destroyed.")
    kg_reused = Kg(source="devices.kg_handed_over", help_text="Weight of the devices handed over.")
    handovers = serializers.IntegerField(source="handovers.total", help_text="Allocations handed over.")
    households_referred = serializers.IntegerField(source="households.total.referred")
    households_enrolled = serializers.IntegerField(source="households.total.enrolled")
    households_completed = serializers.IntegerField(source="households.total.completed")
    households_equipped = serializers.IntegerField(source="households.total.equipped")
    attendance_rate = Rate(source="training.attendance_rate")
    completion_rate = Rate(source="training.completion_rate")
    devices = ReportDevicesSerializer()
    flows = ReportMonthSerializer(many=True)
    handovers_by_kind = ReportHandoversSerializer(source="handovers")
    households = ReportHouseholdsSerializer()
    training = ReportTrainingSerializer()
    follow_ups = ReportFollowUpsSerializer()
