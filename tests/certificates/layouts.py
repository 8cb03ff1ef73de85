"""The certificate designs of the corpus, as HTML for WeasyPrint (make_corpus.py beside it).

Each layout takes an activity (a dict) and returns the HTML and what the document states (its
ground truth: None for what it does not state)."""

from __future__ import annotations

STYLE = """
@page { size: %(size)s; margin: 16mm; }
body { font-family: "DejaVu Serif", serif; font-size: 12pt; color: #111; }
h1 { font-size: 26pt; text-align: center; margin: 0 0 6mm; letter-spacing: 1px; }
.c { text-align: center; } .name { font-size: 20pt; margin: 4mm 0; }
.title { font-size: 16pt; font-weight: bold; }
.small { font-size: 9.5pt; } .sans { font-family: "DejaVu Sans", sans-serif; }
table { border-collapse: collapse; width: 100%%; } td { padding: 2mm; border: 1px solid #999; }
.frame { border: 3px double #555; padding: 8mm; }
"""


def page(body: str, *, landscape: bool = False, sans: bool = False) -> str:
    size = "A4 landscape" if landscape else "Letter"
    css = STYLE % {"size": size}
    return (
        f"<html><head><meta charset='utf-8'><style>{css}</style></head>"
        f"<body class='{'sans' if sans else ''}'>{body}</body></html>"
    )


def truth(a: dict, **overrides) -> dict:
    fields = {
        "title": a["title"],
        "provider": a["provider"],
        "start_date": a["start"],
        "end_date": a["end"],
        "credits": a.get("claimed") or a["maximum"],
        "category": 1,
        "patient_safety_credits": a.get("safety"),
    }
    fields.update(overrides)
    return fields


def accreditation(a: dict) -> str:
    return (
        f"The {a['provider']} is accredited by the Accreditation Council for Continuing Medical "
        "Education (ACCME) to provide continuing medical education for physicians."
    )


def classic(a: dict) -> tuple[str, dict]:
    body = f"""<div class='frame'><h1>CERTIFICATE OF ATTENDANCE</h1>
<p class='c'>This certifies that</p><p class='c name'>{a["physician"]}</p>
<p class='c'>participated in the live activity</p>
<p class='c title'>{a["title"]}</p>
<p class='c'>held {a["dates_text"]} in {a["city"]}</p>
<p class='small'>{accreditation(a)} The {a["provider"]} designates this live activity for a
maximum of {a["maximum"]} <i>AMA PRA Category 1 Credits™</i>. Physicians should claim only the
credit commensurate with the extent of their participation in the activity.</p>
<p>{a["physician"]} has claimed {a["claimed"]} <i>AMA PRA Category 1 Credits™</i>, of which
{a["safety"]} are patient safety.</p></div>"""
    return page(body, landscape=True), truth(a)


def online(a: dict) -> tuple[str, dict]:
    body = f"""<h1 class='sans'>Certificate of Completion</h1>
<p>This is to certify that <b>{a["physician"]}</b> has completed the enduring material</p>
<p class='title'>{a["title"]}</p>
<p class='sans small'>Release date: {a["release"]}<br>Expiration date: {a["expires"]}<br>
Date of completion: {a["dates_text"]}</p>
<p>{accreditation(a)}</p>
<p>The {a["provider"]} designates this enduring material for a maximum of {a["maximum"]}
<i>AMA PRA Category 1 Credits™</i>.</p>
<p>You were awarded {a["claimed"]} <i>AMA PRA Category 1 Credits™</i>, including
{a["safety"]} credits in risk management/patient safety.</p>"""
    return page(body, sans=True), truth(a)


def journal(a: dict) -> tuple[str, dict]:
    body = f"""<p class='sans small'>{a["provider"]} · Journal CME</p>
<h1>Journal CME Certificate</h1>
<table><tr><td>Physician</td><td>{a["physician"]}</td></tr>
<tr><td>Article: {a["title"]}</td><td></td></tr>
<tr><td>Activity date: {a["dates_text"]}</td><td></td></tr></table>
<p>{accreditation(a)}</p>
<p>The {a["provider"]} designates this journal-based activity for a maximum of {a["maximum"]}
<i>AMA PRA Category 1 Credit™</i>.</p>
<p><b>AMA PRA Category 1 Credits™ claimed: {a["claimed"]}</b></p>
<p class='small'>Printed {a["printed"]}</p>"""
    return page(body), truth(a, patient_safety_credits=None)


def state_society(a: dict) -> tuple[str, dict]:
    body = f"""<div class='frame'><h1>{a["provider"]}</h1>
<p class='c'>certifies that {a["physician"]} attended the conference entitled</p>
<p class='c title'>“{a["title"]}”</p>
<p class='c'>{a["dates_text"]}, {a["city"]}</p>
<p class='small'>The {a["provider"]} is accredited by the {a["state"]} Medical Association to
provide continuing medical education for physicians. The {a["provider"]} designates this live
activity for a maximum of {a["maximum"]} <i>AMA PRA Category 1 Credits™</i>.</p>
<p>Credits claimed: {a["claimed"]} <i>AMA PRA Category 1 Credits™</i><br>
Patient safety credits: {a["safety"]}<br>
This activity also offers {a["moc"]} ABPS MOC points and {a["ethics"]} ethics hours.</p></div>"""
    return page(body, landscape=True), truth(a)


def joint(a: dict) -> tuple[str, dict]:
    body = f"""<h1>Certificate of Credit</h1>
<table class='sans'><tr><td>Activity title: {a["title"]}</td></tr>
<tr><td>Dates: {a["dates_text"]}</td></tr><tr><td>Location: {a["city"]}</td></tr>
<tr><td>Participant: {a["physician"]}</td></tr></table>
<p class='small'>This activity has been planned and implemented in accordance with the
accreditation requirements and policies of the Accreditation Council for Continuing Medical
Education (ACCME) through the joint providership of {a["provider"]} and {a["partner"]}.
{accreditation(a)}</p>
<p>The {a["provider"]} designates this live activity for a maximum of {a["maximum"]}
<i>AMA PRA Category 1 Credits™</i>. Physicians should claim only the credit commensurate with
the extent of their participation in the activity.</p>"""
    return page(body, sans=True), truth(a, credits=a["maximum"], patient_safety_credits=None)


def letter(a: dict) -> tuple[str, dict]:
    body = f"""<p class='sans'><b>{a["hospital"]}</b><br>Office of Continuing Medical Education</p>
<p>{a["letter_date"]}</p>
<p>Dear Dr. {a["physician"].split()[-2].rstrip(",")},</p>
<p>Thank you for attending “{a["title"]}” on {a["dates_text"]}.</p>
<p>{accreditation(a)} The {a["provider"]} designates this live activity for a maximum of
{a["maximum"]} <i>AMA PRA Category 1 Credits™</i>.</p>
<p>Our records show that you were awarded {a["claimed"]} <i>AMA PRA Category 1 Credits™</i>.
Please keep this letter for your records.</p><p>Sincerely,<br>CME Coordinator</p>"""
    return page(body), truth(a, patient_safety_credits=None)


def self_claim(a: dict) -> tuple[str, dict]:
    body = f"""<h1 class='sans'>Physician's Self-Claim of AMA PRA Category 2 Credit™</h1>
<table class='sans'><tr><td>Physician: {a["physician"]}</td></tr>
<tr><td>Activity: {a["title"]}</td></tr>
<tr><td>Date(s): {a["dates_text"]}</td></tr>
<tr><td>Description: reading and review of the literature on the topic</td></tr>
<tr><td>Number of AMA PRA Category 2 Credits™ claimed: {a["claimed"]}</td></tr></table>
<p class='small'>I attest that this activity meets the definition of AMA PRA Category 2
Credit™. Signed: {a["physician"]}</p>"""
    return page(body, sans=True), truth(a, provider=None, category=2, patient_safety_credits=None)


def distractors(a: dict) -> tuple[str, dict]:
    body = f"""<h1>Certificate of Completion</h1>
<p class='c'>{a["physician"]} successfully completed</p>
<p class='c title'>{a["title"]}</p>
<p class='c'>{a["dates_text"]}</p>
<p class='small'>{accreditation(a)} The {a["provider"]} designates this live activity for a
maximum of {a["maximum"]} <i>AMA PRA Category 1 Credits™</i>.</p>
<table class='sans small'><tr><td>Nurses</td><td>{a["nursing"]} nursing contact hours</td></tr>
<tr><td>Pharmacists</td><td>{a["pharmacy"]} pharmacy contact hours</td></tr>
<tr><td>ABPS MOC</td><td>{a["moc"]} MOC points; {a["moc"]} self-assessment credits</td></tr>
<tr><td>Physicians</td><td>AMA PRA Category 1 Credits™ claimed: {a["claimed"]}</td></tr>
<tr><td>Registration fee</td><td>$450.00</td></tr></table>"""
    return page(body), truth(a, patient_safety_credits=None)


NONE = dict.fromkeys(
    ("title", "provider", "start_date", "end_date", "credits", "category", "patient_safety_credits")
)


def non_physician(a: dict) -> tuple[str, dict]:
    body = f"""<div class='frame'><h1>Certificate of Participation</h1>
<p class='c'>for non-physicians</p><p class='c name'>{a["nurse"]}</p>
<p class='c'>participated in the live activity</p><p class='c title'>{a["title"]}</p>
<p class='c'>held {a["dates_text"]}</p>
<p class='small'>{accreditation(a)} The activity was designated for {a["maximum"]}
<i>AMA PRA Category 1 Credits™</i>. This activity provides {a["nursing"]} nursing contact
hours.</p></div>"""
    return page(body, landscape=True), {
        **NONE,
        "title": a["title"],
        "provider": a["provider"],
        "start_date": a["start"],
        "end_date": a["end"],
    }


def moc_only(a: dict) -> tuple[str, dict]:
    body = f"""<h1 class='sans'>Maintenance of Certification</h1>
<p>{a["physician"]} earned MOC credit from the American Board of Plastic Surgery.</p>
<p>Activity: {a["title"]}</p><p>Completed on {a["dates_text"]}</p>
<p>{a["moc"]} MOC points · {a["moc"]} self-assessment credits (Part II)</p>
<p class='small'>This activity is not designated for AMA PRA Category 1 Credit™.</p>"""
    return page(body, sans=True), {
        **NONE,
        "title": a["title"],
        "start_date": a["start"],
        "end_date": a["end"],
    }


def transcript(a: dict) -> tuple[str, dict]:
    rows = "".join(
        f"<tr><td>{title}</td><td>{day}</td><td>{amount} AMA PRA Category 1 Credits™</td></tr>"
        for title, day, amount in a["rows"]
    )
    body = f"""<h1 class='sans'>CME Transcript</h1><p>{a["physician"]}</p>
<p class='small'>{accreditation(a)}</p>
<table class='small'>{rows}</table><p>Transcript total: {a["total"]} credits</p>"""
    return page(body, sans=True), dict(NONE)


def invoice(a: dict) -> tuple[str, dict]:
    body = f"""<h1 class='sans'>Invoice</h1><p>Invoice number 2025-0412</p>
<p>Invoice date: {a["letter_date"]}</p><p>Bill to: {a["physician"]}</p>
<table><tr><td>Registration, {a["title"]}</td><td>$450.00</td></tr>
<tr><td>Workshop fee</td><td>$125.00</td></tr><tr><td>Total due</td><td>$575.00</td></tr></table>
<p>Paid by card. Thank you.</p>"""
    return page(body, sans=True), dict(NONE)


def state_form(a: dict) -> tuple[str, dict]:
    body = f"""<h1 class='sans'>State Medical Board License Renewal</h1>
<p>Continuing education attestation for {a["physician"]}</p>
<table><tr><td>Renewal period</td><td>01/01/2024 - 12/31/2025</td></tr>
<tr><td>Ethics hours completed</td><td>{a["ethics"]}</td></tr>
<tr><td>Opioid prescribing hours</td><td>3</td></tr>
<tr><td>Total hours reported</td><td>{a["total"]}</td></tr></table>
<p>Renewal fee paid: $310.00</p>"""
    return page(body, sans=True), dict(NONE)


LAYOUTS = {
    "classic": classic,
    "online": online,
    "journal": journal,
    "state_society": state_society,
    "joint": joint,
    "letter": letter,
    "self_claim": self_claim,
    "distractors": distractors,
    "non_physician": non_physician,
    "moc_only": moc_only,
    "transcript": transcript,
    "invoice": invoice,
    "state_form": state_form,
}
NEGATIVE = {"non_physician", "moc_only", "transcript", "invoice", "state_form"}
