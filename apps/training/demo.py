"""A demo course of the médiathèque: five weekly sessions, four of them already held, the
eight demo households enrolled (one withdrew, letting the waiting one in), and attendance
so that some have completed, some are one session short."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from apps.accounts.models import Structure, User
from apps.households.demo import DEMO_STRUCTURE
from apps.households.models import Household

from . import services
from .choices import SessionTopic
from .models import Course

COURSE_TITLE = "Premiers pas numériques en famille"
SESSION_TOPICS = [
    (SessionTopic.BASIC_USE, "Allumer, écrire, ranger ses fichiers"),
    (SessionTopic.BASIC_USE, "Internet et la messagerie"),
    (SessionTopic.ONLINE_RIGHTS, "Mon compte CAF et Ameli"),
    (SessionTopic.ONLINE_RIGHTS, "France Travail et impots.gouv"),
    (SessionTopic.PARENTING_DIGITAL, "Les écrans et les enfants, Pronote"),
]
# Sessions are weekly; the first was this many days ago, so four are held and one is to come.
FIRST_SESSION_DAYS_AGO = 24
# Which of the four held sessions each household attended: 1 present, 0 absent, None not
# enrolled yet (Élodie Petit was on the waiting list until Mehmet Yılmaz withdrew).
ATTENDANCE = {
    "Fatima Benali": [1, 1, 1, 1],
    "Jean-Pierre Morel": [1, 1, 0, 1],
    "Aminata Diallo": [1, 0, 1, 1],
    "Thi Lan Nguyễn": [1, 1, 1, 1],
    "Karim Haddad": [1, 0, 0, 1],
    "Sylvie Garnier": [0, 1, 1, 0],
    "Élodie Petit": [None, None, 1, 1],
}
WITHDRAWN = ("Mehmet Yılmaz", "A déménagé dans une autre ville après la première séance.")


def load(*, stdout):
    structure = Structure.objects.get(name=DEMO_STRUCTURE)
    if Course.objects.filter(title=COURSE_TITLE, structure=structure).exists():
        return
    trainer = User.objects.get(username="formatrice")
    first_day = timezone.localdate() - timedelta(days=FIRST_SESSION_DAYS_AGO)
    course = services.create_course(
        actor=trainer,
        structure=structure,
        title=COURSE_TITLE,
        description="Cinq séances pour prendre en main l'ordinateur remis à la fin du parcours.",
        place="Médiathèque Louise-Michel, salle multimédia",
        starts_on=first_day,
        ends_on=first_day + timedelta(weeks=len(SESSION_TOPICS) - 1),
        capacity=7,
        min_sessions=4,
        trainers=[trainer],
    )
    sessions = [
        services.create_session(
            actor=trainer,
            course=course,
            starts_at=timezone.make_aware(datetime.combine(first_day + timedelta(weeks=week), time(14, 0))),
            topic=topic,
            title=title,
        )
        for week, (topic, title) in enumerate(SESSION_TOPICS)
    ]
    households = {h.contact_name: h for h in Household.objects.filter(structure=structure)}
    # In the order they were referred: the eighth finds the course full and waits.
    enrolments = {
        name: services.enrol_household(actor=trainer, course=course, household=household)
        for name, household in sorted(households.items(), key=lambda item: item[1].created_at)
    }
    withdrawn_name, reason = WITHDRAWN
    services.record_attendance(
        actor=trainer, session=sessions[0], household=households[withdrawn_name], present=True
    )
    services.withdraw_enrolment(actor=trainer, enrolment=enrolments[withdrawn_name], reason=reason)
    for name, marks in ATTENDANCE.items():
        for session, present in zip(sessions, marks, strict=False):
            if present is not None:
                services.record_attendance(
                    actor=trainer, session=session, household=households[name], present=bool(present)
                )
    stdout.write(f"  course: {COURSE_TITLE} ({len(sessions)} sessions, {len(enrolments)} households)")
