#!/usr/bin/env python3
"""Generate the benchmark corpora for claimlint, deterministically and without network.

Writes, under OUT (default bench/data/):

  big.md          one ~200 MB Markdown file: a CMS export of clinic and product pages
  site/           a website-like tree of ~20,000 .md/.html/.txt pages of 2-20 KB
  site/.gitignore ignores site/node_modules/, which holds 1,000 more pages (a vendored
                  theme's demo content), so tools that honour .gitignore skip them
  empty.md        an empty file, for start-up timing
  manifest.json   what was written (written last: its presence means the corpora are complete)

About one sentence in twenty is a marketing claim (efficacy, disease, safety, proof,
superiority, approval, ...); the rest is descriptive clinic and shop copy. Every sentence
template below was written for this benchmark. Python 3.11 standard library only; the same
seed and options give byte-identical output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import shutil
import string
import sys
import time
from pathlib import Path

SEED = 20240607
CLAIM_RATE = 1 / 20  # share of sentences that are claims
LIST_LEAD_SHARE = 0.12  # share of claims that are a list lead-in followed by a list
JAPANESE_PAGE_SHARE = 0.05  # pages that carry a Japanese section

# ---------------------------------------------------------------------------------------------
# Vocabulary for the template slots.

SLOTS: dict[str, list[str]] = {
    "clinic": [
        "Aoyama Renewal Clinic", "Harbor Light Dermatology", "Kobe Sakura Skin Clinic",
        "Maple Street Aesthetics", "Riverside Regenerative Clinic", "Nishi-Umeda Beauty Clinic",
        "Clinique Belle Rive", "Gangnam Glow Dermatology", "Bondi Skin Studio",
        "Marylebone Aesthetic Rooms", "Sunset Boulevard Medspa", "Tenjin Cell Clinic",
        "Hillside Wellness Clinic", "Kitahama Skin and Hair", "Camellia Beauty Clinic",
        "Northgate Medical Aesthetics", "Shirokane Longevity Clinic", "Lakeview Skin Centre",
    ],
    "product": [
        "Lumina EXO serum", "Velvet GF ampoule", "Aurora stem-cell cream", "HydraCell mask",
        "Kirei supernatant lotion", "NovaHair scalp tonic", "Petal Repair essence",
        "Silk Dew booster", "Crystal Cell eye cream", "Mizu Lift emulsion", "Bloom EXO mist",
        "Pure Secretome gel", "Rosa Vital night cream", "Zen Root scalp serum",
    ],
    "treatment": [
        "exosome therapy", "PRP injection", "stem-cell culture supernatant drip",
        "growth factor facial", "secretome infusion", "microneedling with exosomes",
        "NAD+ drip", "scalp mesotherapy", "exosome skin booster", "cytokine scalp therapy",
        "supernatant nebuliser session", "autologous fibroblast treatment",
    ],
    "ingredient": [
        "human adipose stem cell conditioned media", "umbilical cord supernatant",
        "dental pulp culture fluid", "sh-Oligopeptide-1", "sodium hyaluronate", "niacinamide",
        "plant-derived exosomes", "apple stem cell extract", "panthenol", "ceramide NP",
        "squalane", "glycerin", "copper tripeptide-1", "rice ferment filtrate",
    ],
    "area": [
        "face", "neck", "scalp", "decolletage", "back of the hands", "under-eye area",
        "forehead", "cheeks", "jawline", "hairline",
    ],
    "city": [
        "Ginza", "Shibuya", "Umeda", "Gangnam", "Sydney", "London", "Los Angeles", "Fukuoka",
        "Yokohama", "Melbourne", "Busan", "Sapporo", "Nagoya", "Manchester",
    ],
    "station": [
        "Omotesando", "Shinjuku", "Hakata", "Sannomiya", "Ebisu", "Shinsaibashi", "Kyoto",
        "Sendai", "Roppongi", "Tenjin", "Central", "Victoria",
    ],
    "dir": ["east", "west", "north", "south", "central", "A2", "B4", "C1"],
    "walk": ["two", "three", "four", "five", "six", "eight", "ten"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Sunday"],
    "open": ["9", "10", "11"],
    "close": ["18", "19", "20", "21"],
    "mins": ["30", "45", "60", "75", "90"],
    "ml": ["15", "20", "30", "50", "100"],
    "months": ["two", "three", "six"],
    "fee": ["3,300", "5,500", "1,100", "2,200"],
    "price": ["12,800", "29,800", "49,500", "88,000", "138,000", "16,500", "7,700"],
    "staff": [
        "Dr. Tanaka", "Dr. Suzuki", "Dr. Park", "Dr. Okafor", "Dr. Moreau", "Dr. Whitfield",
        "Our head nurse", "Our senior counsellor", "Dr. Nakamura", "Dr. Lindqvist",
    ],
    "field": ["dermatology", "plastic surgery", "internal medicine", "anaesthesiology"],
    "univ": [
        "a university hospital in Osaka", "a teaching hospital in Seoul",
        "a dermatology department in Lyon", "a general hospital in Sapporo",
        "a London teaching hospital", "a medical school in Melbourne",
    ],
    "year": ["2009", "2012", "2014", "2016", "2018", "2019", "2021", "2022"],
    "country": ["Japan", "Korea", "France", "Switzerland", "Australia", "the United States"],
    "k": ["three", "four", "five", "six"],
    "gap": ["two", "three", "four"],
    "floor": ["second", "third", "fifth", "seventh", "ninth"],
    "date": [
        "3 February 2025", "18 March 2025", "9 May 2025", "27 June 2025", "14 August 2025",
        "2 October 2025", "21 November 2025", "11 January 2026",
    ],
    "weeks": ["2", "3", "4", "6", "8", "12"],
    "days": ["3", "5", "7", "10", "14"],
    "pct": ["30", "50", "80", "120", "200", "300"],
    "season": ["spring", "summer", "autumn", "winter"],
    "colour": ["pale pink", "clear", "milky white", "light amber"],
}

# Descriptive copy: access, booking, prices, how to use, what an ingredient is. Not claims.
FILLER: list[str] = [
    "{clinic} is a {walk}-minute walk from the {dir} exit of {station} Station.",
    "Please arrive ten minutes before your appointment to fill in the questionnaire.",
    "Reception is open from {open}:00 to {close}:00, and the clinic is closed on {weekday}s.",
    "Each vial is kept in a refrigerator at four degrees and opened on the day of your visit.",
    "A session of {treatment} takes about {mins} minutes, including cleansing and a cooling mask.",
    "Credit cards, bank transfers and QR code payments are accepted at the front desk.",
    "A numbing cream is applied for about twenty minutes before the needles are used.",
    "The {product} comes in a {ml} mL glass bottle with a dropper.",
    "All prices on this page include consumption tax.",
    "You can move an appointment up to two days before the booked date at no charge.",
    "{staff} trained in {field} at {univ} before joining {clinic} in {year}.",
    "The {product} is filled in a licensed facility in {country}.",
    "Keep the bottle in a cool, dark place and finish it within {months} months of opening.",
    "Spread two or three drops over the {area} and press gently with your palms.",
    "On the day of the session, please avoid heavy makeup on the {area}.",
    "Parking is available in the building next door, and we validate two hours.",
    "Our counsellors speak English, Japanese and Korean.",
    "The consultation fee of {fee} yen is waived if you book a course on the same day.",
    "On the label, {ingredient} is listed under its INCI name.",
    "The clinic opened in {year} and moved to the {floor} floor of the same building later.",
    "You can book online, by phone or through our messaging account.",
    "Most patients book a course of {k} sessions, spaced about {gap} weeks apart.",
    "The treatment rooms are kept warm, and blankets are available if you feel cold.",
    "Gift vouchers are sold at reception in amounts of 10,000 and 30,000 yen.",
    "This page was last updated on {date}.",
    "The photos on this page show the treatment room on the {floor} floor.",
    "Shipping is free for orders over 8,000 yen.",
    "Each box holds {k} single-use ampoules sealed in aluminium pouches.",
    "You may wash your hair as usual on the evening after the session.",
    "Patients under eighteen need a parent or guardian at the first visit.",
    "The waiting area has free Wi-Fi and a selection of herbal teas.",
    "At the first visit, the doctor asks about your medical history and current medicines.",
    "Culture supernatant is the liquid left after cells have been grown in a laboratory dish.",
    "Exosomes are small particles released by cells, mostly between 30 and 150 nanometres across.",
    "Growth factors are proteins that carry signals from one cell to another.",
    "Platelet-rich plasma is prepared by spinning a small sample of your blood in a centrifuge.",
    "The drip is given in a reclining chair while you read or listen to music.",
    "Our blog covers clinic news, seasonal skin care tips and introductions of our staff.",
    "Cancellations on the day itself are charged at half the price of the session.",
    "The {product} is a {colour} liquid with a faint citrus scent.",
    "The {product} costs {price} yen for a bottle of {ml} mL.",
    "A course of {treatment} costs {price} yen, paid at the first session.",
    "{staff} is a board-certified specialist in {field}.",
    "The {city} branch is on the {floor} floor, above a flower shop.",
    "Please tell the doctor if you take blood thinners or are pregnant.",
    "Follow with your usual moisturiser and sunscreen in the morning.",
    "Patch testing on the inner arm is available before the first session.",
    "The culture fluid is filtered and tested before it is bottled.",
    "Counselling is free and takes about {mins} minutes.",
    "In {season}, we hold a monthly seminar on caring for the {area}.",
    "Staff wear gloves and masks, and every instrument is used once.",
    "The ingredient list is printed on the side of the box.",
    "Orders placed before noon are sent out on the same day.",
    "We accept walk-in visitors when a treatment room is free.",
    "The {treatment} menu was added to the clinic in {year}.",
    "A doctor, not a beautician, performs every injection at {clinic}.",
    "{ingredient} is one of the ingredients in the {product}.",
    "The session ends with a sheet mask and a few minutes of rest.",
    "Questions about an order can be sent through the contact form.",
    "Online consultations by video are available on {weekday}s.",
    "The bottle is made of recycled glass, and the box is printed with soy ink.",
    "Results differ from person to person, and the doctor will explain what to expect.",
    "Redness after microneedling usually settles within one to three days.",
    "The {product} is a cosmetic and is not intended to treat any condition.",
]

# Claim sentences: the kind of copy claimlint exists to flag, in every category of the pack.
CLAIMS: list[str] = [
    "Our exosome serum regrows hair in {weeks} weeks.",
    "No side effects.",
    "The {treatment} has no side effects because it uses your own cells.",
    "It is completely safe, even for sensitive skin.",
    "The {product} erases deep wrinkles in just {days} days.",
    "Clinically proven to reverse the signs of ageing.",
    "Studies show that {ingredient} boosts collagen production by {pct}%.",
    "The {treatment} boosts your immune system and helps fight cancer cells.",
    "The drip relieves chronic fatigue and insomnia after a single session.",
    "The results are permanent after just one treatment.",
    "The {product} is FDA approved.",
    "{clinic} is the No. 1 exosome clinic in {city}.",
    "It repairs damaged tissue and regenerates skin cells.",
    "Melanin production is suppressed, so dark spots fade away.",
    "The {treatment} cures knee arthritis without surgery.",
    "Visible results are guaranteed in {weeks} weeks, or your money back.",
    "It activates your own stem cells and rejuvenates the body from within.",
    "There is no risk of rejection because the cells come from your own body.",
    "Pores shrink and rough skin becomes smooth after the first session.",
    "Recommended by dermatologists across {country}.",
    "Hair loss stops within a month.",
    "It heals wounds and burns without leaving a scar.",
    "Because it is natural, it is harmless to the body.",
    "It lifts sagging cheeks like a face-lift.",
    "It improves blood circulation, so cold hands and feet warm up.",
    "It restores lost elasticity and firmness to the skin.",
    "The {product} increases hair density and thickens thin hair.",
    "It stimulates fibroblasts to produce new collagen.",
    "Stiff shoulders and back pain are relieved after one drip.",
    "The effect lasts for years.",
    "It reduces inflammation throughout the body.",
    "The {treatment} treats type 2 diabetes and lowers blood sugar.",
    "It is safer than botox and fillers.",
    "It prevents dementia and speeds recovery after a stroke.",
    "The {product} penetrates deep into the dermis.",
    "Your skin will look ten years younger.",
    "It whitens the skin from the inside.",
    "Exosomes regenerate cartilage in damaged knees.",
    "The {treatment} is approved by the Ministry of Health.",
    "There is no risk of cancer or tumours.",
    "Our supernatant is the best in {country}.",
    "Ordinary creams cannot reach the dermis, but ours can.",
    "It speeds up skin turnover and removes dullness.",
    "Growth factors stimulate dormant hair follicles.",
    "Hair grows back even on bald patches.",
    "The safety of the {treatment} has been scientifically proven.",
    "It restores liver and kidney function.",
    "The {treatment} treats atopic dermatitis and rheumatoid arthritis.",
    "It protects you against viral infections.",
    "The {product} reduces wrinkles around the eyes.",
    "It stops ageing at the cellular level.",
    "You will see results after the first session.",
]

# A claim made by a list: the lead-in sentence, then the items.
LIST_LEADS: list[str] = [
    "It improves the following symptoms:",
    "The {treatment} is effective for the following conditions:",
    "Patients come to us with the following concerns, and the {treatment} relieves them all:",
    "It relieves the following complaints:",
]
LIST_ITEMS: list[str] = [
    "Chronic fatigue", "Stiff shoulders", "Insomnia", "Cold hands and feet", "Joint pain",
    "Atopic dermatitis", "Thinning hair", "Dark circles", "Menopausal symptoms",
    "Rheumatoid arthritis", "Hay fever", "Lower back pain", "Headaches", "Poor circulation",
    "Acne scars", "Sagging skin", "Knee osteoarthritis", "Dry eyes",
]

# Neutral lists: prices, what to bring, steps.
NEUTRAL_LISTS: list[list[str]] = [
    ["Photo ID, such as a passport or driving licence", "A list of the medicines you take",
     "Your referral letter, if you have one"],
    ["Full face: {price} yen", "Neck add-on: 16,500 yen", "Course of {k} sessions: {price} yen"],
    ["Cleanse the {area}", "Apply two pumps of the {product}", "Follow with your usual cream"],
    ["Monday to Friday: {open}:00 to {close}:00", "Saturday: 10:00 to 17:00",
     "Closed on Sundays and national holidays"],
    ["Counselling and skin check", "Cleansing and numbing cream", "Treatment",
     "Cooling mask and rest"],
]

HEADINGS: list[str] = [
    "About the {treatment}", "How a session goes", "Prices", "Access", "Opening hours",
    "Our doctors", "Frequently asked questions", "Benefits", "Why patients choose us",
    "Ingredients", "How to use", "Downtime and aftercare", "Booking", "What is {ingredient}?",
    "The {product}", "Our promise", "Notes from {staff}", "Before your visit", "Clinic news",
    "Customer voices", "{city} branch", "What to expect",
]

TITLES: list[str] = [
    "{treatment} at {clinic}", "The {product}: how it works", "{city} clinic guide",
    "What is {ingredient}?", "{season} skin care with the {product}", "Hair care at {clinic}",
    "Price list: {treatment}", "Meet {staff}", "A guide to the {treatment}",
]

# A few pages carry a Japanese section (multi-byte text on the same paths).
JA_FILLER: list[str] = [
    "当院は駅から徒歩5分の場所にございます。",
    "ご予約はお電話またはウェブサイトから承っております。",
    "施術の前に、医師が丁寧にカウンセリングを行います。",
    "料金はすべて税込表示です。",
    "開封後は冷蔵庫で保管し、三か月以内にお使いください。",
    "初診の方は保険証をお持ちください。",
]
JA_CLAIMS: list[str] = [
    "一度の施術でシミが消えます。",
    "副作用の心配は一切ありません。",
    "薄毛が改善し、髪が生えてきます。",
]

WORDS = [
    "exosome", "serum", "scalp", "glow", "clinic", "care", "renewal", "booster", "drip",
    "facial", "season", "guide", "news", "review", "price", "access", "doctor", "hair",
    "skin", "ampoule", "supernatant", "course", "spring", "winter", "lotion", "mask",
]

# ---------------------------------------------------------------------------------------------
# Templates are parsed once into (literal, slot) pairs, so filling one is a few choices and a join.

Template = list[tuple[str, str | None]]


def compile_templates(texts: list[str]) -> list[Template]:
    out = []
    for text in texts:
        parts = []
        for literal, field, _spec, _conv in string.Formatter().parse(text):
            if field is not None and field not in SLOTS:
                raise SystemExit(f"unknown slot {{{field}}} in template: {text}")
            parts.append((literal, field))
        out.append(parts)
    return out


C_FILLER = compile_templates(FILLER)
C_CLAIMS = compile_templates(CLAIMS)
C_LEADS = compile_templates(LIST_LEADS)
C_HEADINGS = compile_templates(HEADINGS)
C_TITLES = compile_templates(TITLES)
C_NEUTRAL_LISTS = [compile_templates(items) for items in NEUTRAL_LISTS]


class Copywriter:
    """Writes pages from the templates with one seeded random stream, and counts what it wrote."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.sentences = 0
        self.claims = 0

    def fill(self, template: Template) -> str:
        choice = self.rng.choice
        return "".join(lit + (choice(SLOTS[f]) if f else "") for lit, f in template)

    def sentence(self) -> tuple[str, list[str] | None]:
        """One sentence; a list lead-in claim also returns its items."""
        self.sentences += 1
        rng = self.rng
        if rng.random() < CLAIM_RATE:
            self.claims += 1
            if rng.random() < LIST_LEAD_SHARE:
                return self.fill(rng.choice(C_LEADS)), rng.sample(LIST_ITEMS, rng.randint(3, 6))
            return self.fill(rng.choice(C_CLAIMS)), None
        return self.fill(rng.choice(C_FILLER)), None

    def neutral_list(self) -> list[str]:
        return [self.fill(t) for t in self.rng.choice(C_NEUTRAL_LISTS)]

    def japanese(self) -> list[str]:
        self.sentences += 4
        out = [self.rng.choice(JA_FILLER) for _ in range(3)]
        out.insert(self.rng.randrange(4), self.rng.choice(JA_CLAIMS))
        self.claims += 1
        return out

    # Each page is a list of blocks: ("h", text), ("p", [sentences]), ("ul", [items]).
    def blocks(self, budget: int) -> tuple[str, list[tuple[str, object]]]:
        rng = self.rng
        title = self.fill(rng.choice(C_TITLES))
        blocks: list[tuple[str, object]] = []
        size = len(title) + 200
        japanese_at = rng.randrange(4) if rng.random() < JAPANESE_PAGE_SHARE else -1
        n = 0
        while size < budget:
            if n % 4 == 0 and n:
                heading = self.fill(rng.choice(C_HEADINGS))
                blocks.append(("h", heading))
                size += len(heading) + 12
            if n == japanese_at:
                para = self.japanese()
                blocks.append(("p", para))
                size += sum(len(s.encode()) + 1 for s in para)
            elif rng.random() < 0.08:
                items = self.neutral_list()
                blocks.append(("ul", items))
                size += sum(len(i) + 12 for i in items)
            else:
                para: list[str] = []
                for _ in range(rng.randint(2, 6)):
                    text, items = self.sentence()
                    para.append(text)
                    size += len(text) + 1
                    if items:
                        blocks.append(("p", para))
                        blocks.append(("ul", items))
                        size += sum(len(i) + 12 for i in items)
                        para = []
                if para:
                    blocks.append(("p", para))
            n += 1
        return title, blocks


# ---------------------------------------------------------------------------------------------
# Rendering per format.


def render_markdown(title: str, blocks, rng: random.Random, front_matter: bool) -> str:
    out = []
    if front_matter:
        out.append(f'---\ntitle: "{title}"\ndate: 20{rng.randint(18, 25)}-'
                   f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
                   f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n---\n\n")
    out.append(f"# {title}\n\n")
    one_per_line = rng.random() < 0.4  # some sources wrap at sentences, most at paragraphs
    for kind, body in blocks:
        if kind == "h":
            out.append(f"## {body}\n\n")
        elif kind == "p":
            out.append(("\n" if one_per_line else " ").join(body) + "\n\n")
        else:
            bullet = rng.choice(("- ", "* ", "1. "))
            out.append("".join(f"{bullet}{i}\n" for i in body) + "\n")
    if rng.random() < 0.3:
        out.append(f"[Book a consultation](/booking/) · [Back to the top](#{rng.choice(WORDS)})\n")
    return "".join(out)


HTML_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/assets/site.css">
<style>
  .hero {{ background: #f7efe9; padding: 2rem 1rem; }}
  .price-table td {{ border-bottom: 1px solid #ddd; padding: .4rem; }}
</style>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date()); gtag('config', 'G-{tag}');
</script>
</head>
<body>
<!-- header: generated by the site builder -->
<nav class="site-nav"><a href="/">Home</a> | <a href="/treatments/">Treatments</a> | <a href="/shop/">Shop</a> | <a href="/access/">Access</a></nav>
<main>
<article>
<h1>{title}</h1>
"""

HTML_FOOT = """</article>
</main>
<footer><p>&copy; {year} {clinic}. All rights reserved.</p>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "MedicalClinic", "name": "{clinic}"}}</script>
</footer>
</body>
</html>
"""


def html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_html(title: str, blocks, rng: random.Random) -> str:
    out = [HTML_HEAD.format(title=html_escape(title), tag=rng.randrange(10**8, 10**9))]
    for kind, body in blocks:
        if kind == "h":
            out.append(f"<h2>{html_escape(body)}</h2>\n")
        elif kind == "p":
            if rng.random() < 0.5:
                out.append("".join(f"<p>{html_escape(s)}</p>\n" for s in body))
            else:
                out.append("<p>" + " ".join(html_escape(s) for s in body) + "</p>\n")
        else:
            out.append("<ul>\n" + "".join(f"<li>{html_escape(i)}</li>\n" for i in body) + "</ul>\n")
    out.append(HTML_FOOT.format(year=rng.choice(SLOTS["year"]), clinic=rng.choice(SLOTS["clinic"])))
    return "".join(out)


def render_text(title: str, blocks, rng: random.Random) -> str:
    out = [f"{title}\n\n"]
    for kind, body in blocks:
        if kind == "h":
            out.append(f"[{body}]\n\n")
        elif kind == "p":
            out.append("\n".join(body) + "\n\n")
        else:
            out.append("".join(f"* {i}\n" for i in body) + "\n")
    return "".join(out)


MIN_PAGE, MAX_PAGE = 2048, 20480


def page(writer: Copywriter, fmt: str, budget: int) -> str:
    title, blocks = writer.blocks(budget)
    if fmt == "md":
        return render_markdown(title, blocks, writer.rng, front_matter=writer.rng.random() < 0.7)
    if fmt == "html":
        return render_html(title, blocks, writer.rng)
    return render_text(title, blocks, writer.rng)


def sized_page(writer: Copywriter, fmt: str) -> bytes:
    """A page whose size is log-uniform between 2 and 20 KB (redrawn when markup overshoots)."""
    rng = writer.rng
    while True:
        target = math.exp(rng.uniform(math.log(MIN_PAGE), math.log(MAX_PAGE)))
        overhead = {"html": 1000, "md": 150, "txt": 100}[fmt]
        counts = writer.sentences, writer.claims
        data = page(writer, fmt, max(400, int(target) - overhead)).encode()
        if MIN_PAGE <= len(data) <= MAX_PAGE:
            return data
        writer.sentences, writer.claims = counts  # count only the pages that are written


# ---------------------------------------------------------------------------------------------
# The corpora.


def write_big(path: Path, target_bytes: int, rng: random.Random, stats: dict) -> None:
    """A CMS export: Markdown pages one after another, separated by rules, up to target_bytes."""
    writer = Copywriter(rng)
    written = 0
    pages = 0
    with open(path, "wb", buffering=1 << 20) as f:
        while written < target_bytes:
            data = sized_page(writer, "md") + b"\n---\n\n"
            if written + len(data) > target_bytes:
                data = data[: target_bytes - written]
                # end on a whole line, so the file is still well-formed Markdown
                data = data[: data.rfind(b"\n") + 1]
                f.write(data)
                written += len(data)
                break
            f.write(data)
            written += len(data)
            pages += 1
    stats["big"] = {
        "path": path.name, "bytes": written, "pages": pages,
        "sentences": writer.sentences, "claim_sentences": writer.claims,
    }


SECTIONS = [
    # (folder pattern, format, share of the tree)
    ("content/blog/{year}/{slug}.md", "md", 0.30),
    ("content/treatments/{slug}.md", "md", 0.08),
    ("content/products/{slug}.md", "md", 0.07),
    ("content/news/{year}/{slug}.md", "md", 0.05),
    ("public/treatments/{slug}/index.html", "html", 0.15),
    ("public/blog/{year}/{slug}.html", "html", 0.12),
    ("public/clinics/{city}/{slug}.html", "html", 0.08),
    ("static/press/{year}/{slug}.txt", "txt", 0.08),
    ("static/legal/{slug}.txt", "txt", 0.02),
    ("static/newsletters/{year}/{slug}.txt", "txt", 0.05),
]


def write_tree(root: Path, n_files: int, n_vendor: int, rng: random.Random, stats: dict) -> None:
    writer = Copywriter(rng)
    files = 0
    total = 0
    by_format = {"md": 0, "html": 0, "txt": 0}
    (root).mkdir(parents=True)
    (root / ".gitignore").write_text("# dependencies of the site builder\nnode_modules/\n")

    def emit(rel: str, fmt: str) -> int:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = sized_page(writer, fmt)
        path.write_bytes(data)
        return len(data)

    index = 0
    for pattern, fmt, share in SECTIONS:
        count = round(n_files * share)
        if pattern == SECTIONS[-1][0]:
            count = n_files - index  # the last section takes the rounding remainder
        for _ in range(count):
            slug = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{index:05d}"
            rel = pattern.format(year=2015 + index % 11, slug=slug,
                                 city=rng.choice(SLOTS["city"]).lower().replace(" ", "-"))
            total += emit(rel, fmt)
            by_format[fmt] += 1
            index += 1
            files += 1
    site_sentences, site_claims = writer.sentences, writer.claims

    # node_modules: a vendored site theme with its demo pages, docs and licences.
    vendor_bytes = 0
    for i in range(n_vendor):
        pkg = f"node_modules/@clinicpress/theme-{WORDS[i // 10 % len(WORDS)]}-{i // 10}"
        kind = i % 10
        if kind == 0:
            rel, fmt = f"{pkg}/README.md", "md"
        elif kind == 1:
            rel, fmt = f"{pkg}/LICENSE.txt", "txt"
        elif kind < 5:
            rel, fmt = f"{pkg}/docs/page-{i:04d}.html", "html"
        else:
            rel, fmt = f"{pkg}/demo/content/page-{i:04d}.md", "md"
        vendor_bytes += emit(rel, fmt)

    stats["site"] = {
        "path": root.name, "files": files, "bytes": total, "by_format": by_format,
        "sentences": site_sentences, "claim_sentences": site_claims,
        "node_modules": {
            "files": n_vendor, "bytes": vendor_bytes,
            "sentences": writer.sentences - site_sentences,
            "claim_sentences": writer.claims - site_claims,
        },
    }


def main() -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default=str(here / "data"), help="output folder (default bench/data/)")
    ap.add_argument("--big-mb", type=float, default=200.0, help="size of big.md in MB (10^6 bytes; default 200)")
    ap.add_argument("--files", type=int, default=20000, help="pages in site/ outside node_modules (default 20000)")
    ap.add_argument("--node-modules", type=int, default=1000, help="pages in site/node_modules (default 1000)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--if-stale", action="store_true",
                    help="do nothing when OUT already holds complete corpora from this generator and these options")
    args = ap.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "manifest.json"
    generator_sha256 = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    options = {"seed": args.seed, "big_mb": args.big_mb, "files": args.files,
               "node_modules": args.node_modules}
    if args.if_stale and manifest.exists():
        try:
            old = json.loads(manifest.read_text())
        except json.JSONDecodeError:
            old = {}
        if old.get("generator_sha256") == generator_sha256 and old.get("options") == options:
            print(f"generate: {out} is up to date", file=sys.stderr)
            return 0
    # Only ever delete what this script wrote: OUT carries a marker once it has been used.
    marker = out / ".claimlint-bench"
    targets = (out / "site", out / "big.md", out / "empty.md")
    if not marker.exists() and any(t.exists() for t in targets):
        print(f"generate: {out} holds site/, big.md or empty.md not written by this script; "
              "choose another folder", file=sys.stderr)
        return 2
    marker.write_text("corpora written by bench/generate.py; safe to delete\n")
    if manifest.exists():
        manifest.unlink()  # absent until everything below is complete
    for stale in targets:
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()

    started = time.monotonic()
    stats: dict = {}
    # Separate streams, so changing one corpus's size leaves the other byte-identical.
    write_big(out / "big.md", int(args.big_mb * 1_000_000), random.Random(f"{args.seed}/big"), stats)
    print(f"generate: big.md {stats['big']['bytes'] / 1e6:.1f} MB, "
          f"{stats['big']['claim_sentences']} claims in {stats['big']['sentences']} sentences",
          file=sys.stderr)
    write_tree(out / "site", args.files, args.node_modules, random.Random(f"{args.seed}/site"), stats)
    site = stats["site"]
    print(f"generate: site/ {site['files']} files, {site['bytes'] / 1e6:.1f} MB "
          f"(+ node_modules/ {site['node_modules']['files']} files, "
          f"{site['node_modules']['bytes'] / 1e6:.1f} MB), "
          f"{site['claim_sentences']} claims in {site['sentences']} sentences", file=sys.stderr)
    (out / "empty.md").write_bytes(b"")

    stats["generator_sha256"] = generator_sha256
    stats["options"] = options
    manifest.write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n")
    print(f"generate: done in {time.monotonic() - started:.0f} s -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
