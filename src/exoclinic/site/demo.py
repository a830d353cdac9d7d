"""Demo content for the public pages, written for this project from shared/brief/clinical-facts.md."""

from exoclinic.core.languages import fill_missing

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


# The same pages in Spanish (Spain; the reader is addressed as usted), by slug. Faithful to the English: every
# hedge kept, nothing promised.
MEASURE_NOTE_ES = """\
No podemos decirle de antemano si le ayudará. Lo que hacemos es medir: le evaluamos antes del tratamiento con
instrumentos validados (la exploración ISNCSCI, SCIM III y escalas de espasticidad, intestino y vejiga, dolor,
sueño y fuerza) y de nuevo en el seguimiento, y mostramos el cambio junto al cambio que se considera real
para cada instrumento y junto a la recuperación que se produce sin ningún tratamiento, que es mayor durante el
primer año después de una lesión.
"""

EXOSOME_EVIDENCE_NOTE_ES = (
    """\
**Esta terapia está en investigación.** No es un tratamiento aprobado para la lesión medular: en Estados
Unidos, por ejemplo, el aviso público de seguridad de la FDA sobre productos de exosomas (6 de diciembre de
2019) afirma que no hay productos de exosomas aprobados por la FDA. Los estudios clínicos publicados en lesión
medular son pequeños y preliminares (el primer estudio de exosomas por vía intratecal en personas con lesión
medular, publicado en 2024, incluyó a nueve pacientes).

"""
    + MEASURE_NOTE_ES
)

STEM_CELL_EVIDENCE_NOTE_ES = (
    """\
**Esta terapia está en investigación.** No es un tratamiento aprobado para la lesión medular: en Estados
Unidos, por ejemplo, la información al consumidor de la FDA sobre terapias de medicina regenerativa (3 de
junio de 2021) indica que estos productos, entre ellos las células madre, necesitan la aprobación de la FDA
antes de comercializarse y la supervisión de la FDA en un ensayo clínico antes de su aprobación, y advierte
sobre los no aprobados. (El aviso de la FDA de diciembre de 2019 trata de productos de exosomas, no de células
madre.)

"""
    + MEASURE_NOTE_ES
)

THERAPIES_ES = {
    "exosome-therapy": {
        "name": "Terapia con exosomas",
        "summary": (
            "Vesículas diminutas liberadas por células donantes, purificadas y analizadas en el laboratorio, "
            "que se inyectan cerca de la lesión."
        ),
        "how_it_works": """\
Los exosomas son partículas muy pequeñas que las células liberan para llevar proteínas y mensajes genéticos a
otras células. Para esta terapia se obtienen de células donantes cultivadas en el laboratorio, se purifican y
se analizan antes de su uso. Cada lote de producto se caracteriza (número y tamaño de las partículas,
contenido de proteínas, marcadores de identidad) y solo se libera cuando ha superado todas las pruebas
exigidas, como las de esterilidad, endotoxinas y micoplasma.

El producto se inyecta cerca de la zona de la lesión. La vía (una inyección local, una inyección en el líquido
que rodea la médula espinal o en una vena) y el número de sesiones los decide el médico con usted, y quedan
escritos en su plan de tratamiento. Cada vial queda trazado: la clínica registra qué lote recibió usted y
puede localizar a todas las personas que recibieron un lote si alguna vez se detecta un problema con él.
""",
        "what_to_expect": """\
- Una consulta con un médico y una evaluación basal del movimiento, la sensibilidad, la espasticidad, el
  intestino y la vejiga, el dolor, el sueño y la fuerza.
- Un plan de tratamiento y un documento de consentimiento que usted firma después de que se hayan respondido
  sus preguntas.
- La sesión de tratamiento, con control de sus constantes vitales antes y después.
- La mayoría de las personas vuelve a su actividad normal enseguida. Es frecuente tener algo de dolor,
  enrojecimiento o molestia en la zona de la inyección durante unos días, y también un dolor de cabeza leve,
  algo de fiebre o náuseas.
- Evaluaciones de seguimiento, normalmente a los 1, 3, 6 y 12 meses, y un breve diario semanal en su portal.
""",
        "preparation": """\
En general no hace falta ninguna preparación especial. Su médico fija precauciones personales para usted, por
ejemplo si toma medicamentos que hacen la sangre más líquida (anticoagulantes), tiene una infección activa o
está o podría estar embarazada. Verá su lista personal de comprobación, con fechas, en su portal.
""",
        "aftercare": """\
- Evite los antiinflamatorios (como ibuprofeno, naproxeno, diclofenaco o aspirina a dosis antiinflamatorias)
  durante el periodo que fije su plan.
- Evite la actividad intensa o estresante durante 48 horas.
- No haga ejercicio cardiovascular durante 4 semanas.
- Su portal muestra qué restricciones siguen en vigor y hasta cuándo, y le pregunta cómo se encuentra en días
  fijados. Si nota que algo va mal, use la página de emergencias o llame a la clínica.
""",
        "evidence_note": EXOSOME_EVIDENCE_NOTE_ES,
    },
    "stem-cell-therapy": {
        "name": "Terapia con células madre",
        "summary": (
            "La alternativa que ofrecemos: células en lugar de las vesículas que liberan, elegida con su "
            "médico."
        ),
        "how_it_works": """\
La terapia con células madre utiliza las propias células en lugar de los exosomas que liberan. Las células
proceden de una fuente analizada, se preparan en el laboratorio y se administran por la vía que su médico
elija con usted. Como con los exosomas, cada lote de producto se analiza antes de liberarse y se traza desde
su origen hasta usted.
""",
        "what_to_expect": """\
Los pasos son los mismos que en la terapia con exosomas: consulta y evaluación basal, un plan y un
consentimiento por escrito, la sesión de tratamiento, los cuidados posteriores y las evaluaciones de
seguimiento que miden su evolución.
""",
        "preparation": """\
Su médico fija precauciones personales, por ejemplo por anticoagulantes, infección o embarazo, y aparecen
como una lista de comprobación en su portal.
""",
        "aftercare": """\
Su plan indica las restricciones que se le aplican y durante cuánto tiempo; su portal las muestra con su fecha
de fin. Comunique cualquier efecto secundario a través de su portal o, si es grave, use la página de
emergencias.
""",
        "evidence_note": STEM_CELL_EVIDENCE_NOTE_ES,
    },
}

CONDITIONS_ES = {
    "spinal-cord-injury": {
        "title": "Lesión medular",
        "summary": (
            "Daño en la médula espinal que altera el movimiento, la sensibilidad, el intestino, la vejiga y "
            "otras funciones."
        ),
        "body": """\
Una lesión medular se describe por su **nivel** (la parte más baja del cuerpo en la que la sensibilidad y el
movimiento siguen siendo normales) y por su **grado** en la escala de deficiencia de la ASIA (AIS), de A
(completa: sin sensibilidad ni movimiento en la parte más baja de la columna) a E (normal). Ambos se
determinan con una exploración estándar, la ISNCSCI.

### Qué medimos
Seguimos seis signos que los pacientes nos dicen que les importan: la recuperación del movimiento, la
relajación de los músculos rígidos o con espasmos, el control del intestino y la vejiga, la recuperación de
la sensibilidad, menos dolor, y un mejor descanso y más fuerza. Cada uno se mide con un instrumento validado,
antes del tratamiento y en el seguimiento.

### Por qué importa el tiempo desde la lesión
La mayor parte de la recuperación natural se produce en los primeros 9 meses después de una lesión, más
rápido en los 3 primeros, y puede haber pequeñas mejoras hasta los 18 meses. La fisioterapia por sí sola
también puede aportar mejoras reales. Por eso, cuando mostramos su evolución, siempre indicamos cuánto tiempo
hace de su lesión, y decimos con claridad cuándo una mejora puede ser recuperación natural y no el efecto de
una terapia.

### Lesiones a nivel T6 o superior
Las personas con una lesión a nivel T6 o superior pueden sufrir **disreflexia autonómica**: una subida
repentina de la tensión arterial, a menudo con un dolor de cabeza pulsátil y sudoración, que suele
desencadenarse por la vejiga o el intestino llenos. Es una emergencia: consulte la
[página de emergencias](/emergency/).
""",
    },
    "other-neurological-conditions": {
        "title": "Otras afecciones",
        "summary": ("Otras afecciones se valoran caso por caso, después de una solicitud y una consulta."),
        "body": """\
También valoramos otras afecciones caso por caso. Cuéntenos la suya en el formulario de solicitud: un médico
revisa cada solicitud y le dirá con franqueza si creemos que merece la pena una consulta.
""",
    },
}


def _with_spanish(page, english: dict, spanish: dict) -> None:
    """Each Spanish text, where the English is still the one shipped and no Spanish has been written."""
    values = {
        f"{field}_es": text
        for field, text in spanish.items()
        if getattr(page, f"{field}_en") == english[field]
    }
    filled = fill_missing(page, values)
    if filled:
        page.save(update_fields=[*filled, "updated_at"])


def seed(ctx) -> None:
    for data in THERAPIES:
        page, _ = TherapyPage.objects.get_or_create(slug=data["slug"], defaults=data)
        _with_spanish(page, data, THERAPIES_ES[data["slug"]])
    for data in CONDITIONS:
        page, _ = ConditionPage.objects.get_or_create(slug=data["slug"], defaults=data)
        _with_spanish(page, data, CONDITIONS_ES[data["slug"]])
