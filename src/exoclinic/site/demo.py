"""Demo content for the public pages, written for this project from shared/brief/clinical-facts.md."""

from .models import ConditionPage, TherapyPage

MEASURE_NOTE = """\
We cannot tell you in advance whether it will help you. What we do is measure: we assess you before treatment
with validated instruments (the ISNCSCI examination, SCIM III, spasticity, bowel and bladder, pain, sleep and
strength scales) and again at follow-up, and we show the change next to the change that counts as real for
each instrument and next to the recovery that happens without any treatment, which is largest in the first
year after an injury.
"""

# Each notice is cited for what it covers: FDA's public safety notification of 6 December 2019 is about
# exosome products only; FDA's consumer information of 3 June 2021 covers unapproved regenerative medicine
# products, stem cells among them. (Sources and wording checked: docs/instruments.md, "Public pages".)
EXOSOME_EVIDENCE_NOTE = (
    """\
**This therapy is investigational.** It is not an approved treatment for spinal cord injury: in the United
States, for example, the FDA's public safety notification on exosome products (6 December 2019) states that
there are no FDA-approved exosome products. Published clinical studies in spinal cord injury are small and
early (the first intrathecal exosome study in people with spinal cord injury, published in 2024, included
nine patients).

"""
    + MEASURE_NOTE
)

STEM_CELL_EVIDENCE_NOTE = (
    """\
**This therapy is investigational.** It is not an approved treatment for spinal cord injury: in the United
States, for example, the FDA's consumer information on regenerative medicine therapies (3 June 2021) says
that such products, stem cells among them, need FDA approval before they are marketed and FDA oversight in a
clinical trial before approval, and warns about unapproved ones. (The FDA's December 2019 notification is
about exosome products, not stem cells.)

"""
    + MEASURE_NOTE
)

THERAPIES = [
    {
        "slug": "exosome-therapy",
        "name": "Exosome therapy",
        "order": 1,
        "summary": (
            "Tiny vesicles released by donor cells, purified and tested in the lab, injected near the injury."
        ),
        "how_it_works": """\
Exosomes are very small particles that cells release to carry proteins and genetic messages to other cells.
For this therapy they are collected from donor cells grown in the laboratory, purified, and tested before
use. Each product lot is characterised (particle count and size, protein content, identity markers) and
released only when every required test has passed, such as sterility, endotoxin and mycoplasma.

The product is injected near the injury site. The route (a local injection, an injection into the fluid
around the spinal cord, or into a vein) and the number of sessions are decided by the physician with you and
written in your treatment plan. Every vial is traced: the clinic records which lot you received, and can
find every person who received a lot if a problem is ever found with it.
""",
        "what_to_expect": """\
- A consultation with a physician, and a baseline assessment of movement, sensation, spasticity, bowel and
  bladder, pain, sleep and strength.
- A treatment plan and a consent form that you sign after your questions are answered.
- The treatment session itself, with your vital signs checked before and after.
- Most people return to their normal activity straight away. Some local pain, redness or discomfort at the
  injection site for a few days is common, and so are a mild headache, a slight fever or nausea.
- Follow-up assessments, usually at 1, 3, 6 and 12 months, and a short weekly diary in your portal.
""",
        "preparation": """\
In general no special preparation is needed. Your physician sets precautions for you personally, for
example if you take blood thinners (anticoagulants), have an active infection, or are or may be pregnant.
You will see your personal checklist, with dates, in your portal.
""",
        "aftercare": """\
- Avoid anti-inflammatory medication (such as ibuprofen, naproxen, diclofenac, or aspirin at
  anti-inflammatory doses) for the period your plan sets.
- Avoid strenuous or stressful activity for 48 hours.
- No cardiovascular exercise for 4 weeks.
- Your portal shows which restrictions are still in force and until when, and asks you how you are doing on
  set days. If something feels wrong, use the emergency page or call the clinic.
""",
        "evidence_note": EXOSOME_EVIDENCE_NOTE,
    },
    {
        "slug": "stem-cell-therapy",
        "name": "Stem cell therapy",
        "order": 2,
        "summary": (
            "The alternative we offer: cells rather than the vesicles they release, chosen with your doctor."
        ),
        "how_it_works": """\
Stem cell therapy uses the cells themselves rather than the exosomes they release. The cells come from a
tested source, are prepared in the laboratory, and are given by the route your physician chooses with you.
As with exosomes, every product lot is tested before release and traced from its source to you.
""",
        "what_to_expect": """\
The steps are the same as for exosome therapy: consultation and baseline assessment, a written plan and
consent, the treatment session, aftercare, and follow-up assessments that measure your progress.
""",
        "preparation": """\
Your physician sets personal precautions, for example for blood thinners, infection or pregnancy, and they
appear as a checklist in your portal.
""",
        "aftercare": """\
Your plan lists the restrictions that apply to you and for how long; your portal shows them with their end
dates. Report any side effect through your portal or, if it is serious, use the emergency page.
""",
        "evidence_note": STEM_CELL_EVIDENCE_NOTE,
    },
]

CONDITIONS = [
    {
        "slug": "spinal-cord-injury",
        "title": "Spinal cord injury",
        "order": 1,
        "summary": (
            "Damage to the spinal cord that changes movement, sensation, bowel, bladder and other functions."
        ),
        "body": """\
A spinal cord injury is described by its **level** (the lowest part of the body where feeling and movement are
still normal) and its **grade** on the ASIA Impairment Scale, from A (complete: no feeling or movement in the
lowest part of the spine) to E (normal). Both are found with a standard examination, the ISNCSCI.

### What we measure
We follow six signs that patients tell us matter: return of movement, relaxation of stiff or spasming
muscles, control over bowel and bladder, return of sensation, less pain, and better rest and strength. Each
is measured with a validated instrument, before treatment and at follow-up.

### Why time since injury matters
Most natural recovery happens in the first 9 months after an injury, fastest in the first 3, and small gains
can continue for up to 18 months. Physiotherapy on its own can also bring real gains. So when we show your
progress we always show how long ago your injury was, and we say clearly when a gain may be natural recovery
rather than the effect of a therapy.

### Injuries at T6 or above
People with an injury at T6 or above can develop **autonomic dysreflexia**: a sudden rise in blood pressure,
often with a pounding headache and sweating, usually triggered by a full bladder or bowel. It is an emergency:
see the [emergency page](/emergency/).
""",
    },
    {
        "slug": "other-neurological-conditions",
        "title": "Other conditions",
        "order": 2,
        "summary": "Other conditions are considered case by case after an application and a consultation.",
        "body": """\
We also consider other conditions case by case. Tell us about yours in the application form: a physician
reviews every application and will tell you honestly whether we think a consultation is worthwhile.
""",
    },
]


def seed(ctx) -> None:
    for data in THERAPIES:
        TherapyPage.objects.get_or_create(slug=data["slug"], defaults=data)
    for data in CONDITIONS:
        ConditionPage.objects.get_or_create(slug=data["slug"], defaults=data)
