#!/usr/bin/env python3
"""Re-applies luzj-core's package moves (moves.tsv beside this script) to source trees.

    apply_moves.py [--moves FILE] [--dry-run] DIR...

For every .java file under the DIRs (any src/<set>/java layout):
  * a file whose class is listed in moves.tsv and still sits at its old path is moved to its new
    path (git mv when the tree is a git work tree); a "twin" line folds a class into an existing
    one (the old file is removed); "res:" lines move test/main resources the same way;
  * its package line follows its path;
  * old fully qualified names (imports, static imports, inline uses, javadoc) become the new ones,
    and "Class#member" lines rename members (LuzjException.check( -> Checks.check(, ...), adding
    the import of the new class; "re:" lines (a regular expression, then its replacement) rewrite
    calls no member line can, such as ChapterConvNet.create(flag);
  * a class the file used unqualified from its own (old) package that now lives elsewhere gets an
    import, as does a class of its old package when the file itself moved;
  * imports of classes now in the file's own package, and luzj imports no longer used, go; the
    import block is rewritten sorted (static first) only when it changed.
For every .md file: old names (dotted and as paths) and members become the new ones; a doc holding
the line "<!-- apply_moves: skip -->" (the migration guide) is left alone.

Running it twice changes nothing the second time.
"""
import argparse
import os
import re
import subprocess
import sys

LUZJ = "io.github.luzj"
SKIP_MARK = "<!-- apply_moves: skip -->"


def load_moves(path):
    classes, members, twins, resources, patterns = {}, {}, set(), [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 2:
                sys.exit(f"{path}:{n}: want old<TAB>new[<TAB>twin], got {line!r}")
            old, new = cols[0].strip(), cols[1].strip()
            if old.startswith("re:"):
                patterns.append((re.compile(old[3:]), new))
            elif old.startswith("res:"):
                resources.append((old[4:], new[4:] if new.startswith("res:") else new))
            elif "#" in old:
                oc, om = old.split("#")
                nc, nm = new.split("#")
                members[(oc, om)] = (nc, nm)
            else:
                classes[old] = new
                if len(cols) > 2 and cols[2].strip() == "twin":
                    twins.add(old)
    return classes, members, twins, resources, patterns


def pkg_of(fqn):
    return fqn.rsplit(".", 1)[0] if "." in fqn else ""


def simple(fqn):
    return fqn.rsplit(".", 1)[-1]


JAVA_ROOT = re.compile(r"^(.*?/src/[^/]+/)java/(.*)\.java$")


def layout(path):
    """(source-set dir, fqn from path) or (None, None) outside a src/<set>/java layout."""
    m = JAVA_ROOT.match(os.path.abspath(path).replace(os.sep, "/"))
    if not m:
        return None, None
    return m.group(1), m.group(2).replace("/", ".")


def in_git(path):
    try:
        subprocess.run(["git", "-C", os.path.dirname(path) or ".", "rev-parse"],
                       check=True, capture_output=True)
        return True
    except (subprocess.CalledProcessError, FileNotFoundError):
        return False


def tracked(path):
    r = subprocess.run(["git", "-C", os.path.dirname(path), "ls-files", "--error-unmatch",
                        os.path.basename(path)], capture_output=True)
    return r.returncode == 0


def move(src, dst, dry):
    print(f"move {src} -> {dst}")
    if dry:
        return
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if in_git(src) and tracked(src):
        subprocess.run(["git", "-C", os.path.dirname(src), "mv", os.path.abspath(src),
                        os.path.abspath(dst)], check=True)
    else:
        os.rename(src, dst)
    parent = os.path.dirname(src)
    while parent and os.path.isdir(parent) and not os.listdir(parent):
        os.rmdir(parent)
        parent = os.path.dirname(parent)


def remove(src, dry):
    print(f"remove {src} (folded into its twin)")
    if dry:
        return
    if in_git(src) and tracked(src):
        subprocess.run(["git", "-C", os.path.dirname(src), "rm", "-q", os.path.abspath(src)],
                       check=True)
    else:
        os.remove(src)


def walk(dirs, ext):
    for d in dirs:
        if os.path.isfile(d):
            if d.endswith(ext):
                yield d
            continue
        for root, subdirs, files in os.walk(d):
            subdirs[:] = [s for s in subdirs if s not in ("target", ".git", "node_modules")]
            for name in files:
                if name.endswith(ext):
                    yield os.path.join(root, name)


def relocate(dirs, classes, twins, resources, dry):
    present = {layout(p)[1] for p in walk(dirs, ".java")}
    for path in sorted(set(walk(dirs, ".java"))):
        base, fqn = layout(path)
        if fqn in twins and classes[fqn] in present:
            remove(path, dry)  # its twin lives on, perhaps in another module
        elif fqn in classes:
            dst = base + "java/" + classes[fqn].replace(".", "/") + ".java"
            if os.path.exists(dst):
                if fqn in twins:
                    remove(path, dry)
                else:
                    print(f"warning: {path} is listed to move but {dst} exists; left alone",
                          file=sys.stderr)
            else:
                move(path, dst, dry)
    for d in dirs:
        for root, subdirs, _ in os.walk(d):
            subdirs[:] = [s for s in subdirs if s not in ("target", ".git", "node_modules")]
            if not re.search(r"/src/[^/]+/resources$", root.replace(os.sep, "/")):
                continue
            for old, new in resources:
                src, dst = os.path.join(root, old), os.path.join(root, new)
                if os.path.exists(src) and not os.path.exists(dst):
                    move(src, dst, dry)


# A Java source split into code, comments and literals, so names are rewritten only where they
# are names.
TOKEN = re.compile(r'/\*.*?\*/|//[^\n]*|"""(?:\\.|[^\\])*?"""|"(?:\\.|[^"\\\n])*"|'
                   r"'(?:\\.|[^'\\\n])+'", re.S)


def segments(text):
    pos = 0
    for m in TOKEN.finditer(text):
        if m.start() > pos:
            yield "code", text[pos:m.start()]
        s = m.group(0)
        yield ("comment" if s.startswith("/") else "literal"), s
        pos = m.end()
    if pos < len(text):
        yield "code", text[pos:]


def rewrite_names(text, fn):
    """Applies fn(kind, segment) to code and comments, leaving literals alone."""
    return "".join(fn(k, s) if k != "literal" else s for k, s in segments(text))


JAVADOC_REF = re.compile(r"(?:\{@link(?:plain)?|@see|@throws|@exception)\s+([A-Z]\w*)")
DECLARED = re.compile(r"\b(?:class|interface|enum|record|@interface)\s+([A-Z]\w*)")
IMPORT = re.compile(r"^import\s+(static\s+)?([\w.]+(?:\.\*)?)\s*;[ \t]*\n", re.M)
PACKAGE = re.compile(r"^package\s+([\w.]+)\s*;", re.M)


def names_used(text, include_prose):
    code, refs = set(), set()
    for kind, s in segments(text):
        if kind == "code":
            s = IMPORT.sub("", PACKAGE.sub("", s))
            code.update(re.findall(r"(?<![\w.])[A-Z]\w*", s))
            code.update(re.findall(r"(?<=@)[A-Z]\w*", s))
        elif kind == "comment":
            refs.update(JAVADOC_REF.findall(s))
            refs.update(re.findall(r"\{@link(?:plain)?\s+([A-Z]\w*)[.#]", s))
            if include_prose:
                refs.update(re.findall(r"\b[A-Z]\w*", s))
    return code | refs


def fqn_pattern(fqn):
    return re.compile(r"(?<![\w.])" + re.escape(fqn) + r"(?!\w)")


class Index:
    def __init__(self, dirs, classes):
        self.classes = classes
        self.by_pkg = {}
        for path in walk(dirs, ".java"):
            _, fqn = layout(path)
            if fqn is None:
                m = PACKAGE.search(open(path, encoding="utf-8").read())
                fqn = (m.group(1) + "." if m else "") + os.path.basename(path)[:-5]
            self.by_pkg.setdefault(pkg_of(fqn), set()).add(simple(fqn))
        self.old_by_pkg = {}
        for old in classes:
            self.old_by_pkg.setdefault(pkg_of(old), set()).add(simple(old))

    def existed(self, pkg, name):
        """Whether pkg.name is (or, before the moves, was) a class of the trees."""
        return name in self.by_pkg.get(pkg, ()) or name in self.old_by_pkg.get(pkg, ())

    def now(self, fqn):
        return self.classes.get(fqn, fqn)


def rewrite_resource_paths(text, resources):
    """Moved resources named by path, in full or from the package root (vision/pth)."""
    for old, new in resources:
        text = re.sub(r"(?<!\w)" + re.escape(old) + r"(?!\w)", new, text)
        root = "io/github/luzj/"
        if old.startswith(root) and new.startswith(root):
            text = re.sub(r"(?<!luzj/)(?<![\w])" + re.escape(old[len(root):]) + r"(?!\w)",
                          new[len(root):], text)
    return text


def save(path, original, text, dry):
    """Writes text over the file if it changed; returns whether it did."""
    if text == original:
        return False
    print(f"rewrite {path}")
    if not dry:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return True


def rewrite_java(path, index, classes, members, patterns, resources, dry):
    text = open(path, encoding="utf-8").read()
    original = text
    m = PACKAGE.search(text)
    if not m:
        return False
    old_pkg = m.group(1)
    _, path_fqn = layout(path)
    new_pkg = pkg_of(path_fqn) if path_fqn and path_fqn.startswith(LUZJ) else old_pkg
    if new_pkg != old_pkg:
        text = text[:m.start(1)] + new_pkg + text[m.end(1):]
    declared = set(DECLARED.findall(text))

    # How each simple name resolved before any rewriting (imports, then the old package).
    imports = {simple(i): i for s, i in IMPORT.findall(text) if not s and not i.endswith("*")}

    def resolve(name):
        if name in declared:
            return None
        if name in imports:
            return index.now(imports[name])
        if index.existed(old_pkg, name):
            return index.now(old_pkg + "." + name)
        return None

    used_before = names_used(text, include_prose=False)
    needed = set()

    # 1. Members by fully qualified name (before class names, which they contain).
    for (oc, om), (nc, nm) in members.items():
        for c in {oc, index.now(oc)}:
            text = rewrite_names(text, lambda k, s, c=c: re.sub(
                r"(?<![\w.])" + re.escape(c) + r"\s*\.\s*" + re.escape(om) + r"(?!\w)",
                nc + "." + nm, s))
            text = re.sub(r"^import static " + re.escape(c) + r"\." + re.escape(om) + r"\s*;",
                          "import static " + nc + "." + nm + ";", text, flags=re.M)
    # 2. Classes by fully qualified name.
    for old, new in classes.items():
        if old in text:
            text = fqn_pattern(old).sub(new, text)

    # 3. Members and renamed classes by simple name, where the name meant the old class.
    for (oc, om), (nc, nm) in members.items():
        target = index.now(oc)
        aliases = {simple(o) for o, n in classes.items() if n == target}
        for name in aliases | {simple(oc), simple(target)}:
            if resolve(name) != target:
                continue
            qualifier = simple(nc)
            importable = can_import(nc, new_pkg, declared, imports, index)
            if not importable:
                qualifier = nc
            before = text
            text = rewrite_names(text, lambda k, s, name=name, q=qualifier: re.sub(
                r"(?<![\w.])" + name + r"(\s*)\.(\s*)" + re.escape(om) + r"(?!\w)",
                lambda mm: q + mm.group(1) + "." + mm.group(2) + nm, s))
            if text != before and importable and pkg_of(nc) != new_pkg:
                needed.add(nc)
    for old, new in classes.items():
        if (simple(old) != simple(new) and simple(old) in used_before
                and resolve(simple(old)) == new):
            text = rewrite_names(text, lambda k, s, o=simple(old), n=simple(new): re.sub(
                r"(?<![\w.])" + o + r"\b", n, s))
            if pkg_of(new) != new_pkg:
                needed.add(new)

    text = rewrite_resource_paths(text, resources)

    # Calls no member line can say (a removed method's argument becomes a choice).
    for pattern, replacement in patterns:
        text = rewrite_names(text, lambda k, s, p=pattern, r=replacement: p.sub(r, s))

    # 4. Unqualified uses of the old package's classes that now live elsewhere.
    for name in used_before:
        if name in declared or name in imports:
            continue
        if index.existed(old_pkg, name):
            target = index.now(old_pkg + "." + name)
            if pkg_of(target) != new_pkg:
                needed.add(target)

    text = fix_imports(text, new_pkg, needed)
    return save(path, original, text, dry)


def can_import(fqn, pkg, declared, imports, index):
    name = simple(fqn)
    if pkg_of(fqn) == pkg:
        return True
    if name in declared:
        return False
    if name in imports and index.now(imports[name]) != fqn:
        return False
    if name in index.by_pkg.get(pkg, ()):
        return False  # a class of the file's own package has that name
    return True


def fix_imports(text, pkg, needed):
    found = list(IMPORT.finditer(text))
    static = [i for s, i in ((m.group(1), m.group(2)) for m in found) if s]
    plain = [i for s, i in ((m.group(1), m.group(2)) for m in found) if not s]
    used = names_used(IMPORT.sub("", text), include_prose=True)
    keep = []
    for i in plain:
        if i.startswith(LUZJ + ".") and not i.endswith("*"):
            if pkg_of(i) == pkg:
                continue
            if simple(i) not in used:
                continue
        keep.append(i)
    names = {simple(i) for i in keep}
    for n in sorted(needed):
        if n not in keep and pkg_of(n) != pkg and simple(n) not in names:
            keep.append(n)
    new_plain = sorted(set(keep))
    new_static = sorted(set(static))
    if new_plain == plain and new_static == static:
        return text
    block = ""
    if new_static:
        block += "".join(f"import static {i};\n" for i in new_static)
        if new_plain:
            block += "\n"
    block += "".join(f"import {i};\n" for i in new_plain)
    if found:
        start, end = found[0].start(), found[-1].end()
        return text[:start] + block + text[end:]
    m = PACKAGE.search(text)
    eol = text.index("\n", m.end()) + 1
    return text[:eol] + "\n" + block + text[eol:]


def rewrite_md(path, classes, members, resources, dry):
    text = open(path, encoding="utf-8").read()
    if SKIP_MARK in text:
        return False
    original = text
    for (oc, om), (nc, nm) in members.items():
        for c in (oc, classes.get(oc, oc)):
            text = re.sub(r"(?<![\w.])" + re.escape(c) + r"\." + re.escape(om) + r"(?!\w)",
                          nc + "." + nm, text)
        for c in {simple(oc), simple(classes.get(oc, oc))}:
            text = re.sub(r"(?<![\w.])" + c + r"\." + re.escape(om) + r"(?!\w)",
                          simple(nc) + "." + nm, text)
    text = rewrite_resource_paths(text, resources)
    for old, new in classes.items():
        text = fqn_pattern(old).sub(new, text)
        o, n = old.replace(".", "/"), new.replace(".", "/")
        text = re.sub(r"(?<![\w/])" + re.escape(o) + r"(?!\w)", n, text)
        ro, rn = o[len("io/github/luzj/"):], n[len("io/github/luzj/"):]
        if "/" in ro:  # a path from the package root, such as vision/ResNet18
            text = re.sub(r"(?<!luzj/)(?<!\w)" + re.escape(ro) + r"(?!\w)", rn, text)
        if simple(old) != simple(new):
            text = re.sub(r"(?<![\w.])" + simple(old) + r"\b", simple(new), text)
    return save(path, original, text, dry)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--moves", default=os.path.join(here, "moves.tsv"))
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    classes, members, twins, resources, patterns = load_moves(a.moves)
    relocate(a.dirs, classes, twins, resources, a.dry_run)
    index = Index(a.dirs, classes)
    changed = 0
    for path in sorted(set(walk(a.dirs, ".java"))):
        changed += rewrite_java(path, index, classes, members, patterns, resources, a.dry_run)
    for path in sorted(set(walk(a.dirs, ".md"))):
        changed += rewrite_md(path, classes, members, resources, a.dry_run)
    print(f"{changed} files rewritten", file=sys.stderr)


if __name__ == "__main__":
    main()
