# drydock's OCI prestart hook for the fleet's podman: allow or refuse a container start from the admission list.
#
# Run as `/usr/bin/python3 -I -S admission-hook.py <stateDir>` with podman's container state on stdin; exit 0
# allows the start, exit 1 refuses it (podman exits 126 and shows the reason written to stderr). Python's
# standard library only: an isolated python3 starts in ~15 ms where node alone takes ~90 ms. Installed, it is
# the module `drydock_admission_hook` that a two-line entry imports (see STUB in admission-hook.ts), so that
# python3 keeps its compiled form in __pycache__ instead of compiling it at every container start.
#
# The decision is admitImage (core/admission/admit.ts) and answerPrestart (adapters/local/admission-hook.ts),
# which stay its definition: the conformance test (test/adapters/local/admission-hook-conformance.test.ts) runs
# one table of cases through both. The list (written by AdmissionFile) carries every ban pattern pre-compiled,
# so this program parses no pattern and no glob: it compares digests and matches anchored expressions against
# podman's own (normalised) image names; a name it cannot verify as normalised makes the start undecidable.
import errno
import json
import os
import posixpath
import re
import stat
import sys

FORMAT = "drydock-admission/2"
MAX_STATE_BYTES = 1024 * 1024
MAX_STORAGE_JSON_BYTES = 256 * 1024 * 1024
MAX_LIST_BYTES = 64 * 1024 * 1024
MAX_MATCHER_REGEX = 16 * 1024
NAME_MAX_LENGTH = 255

HEX64 = re.compile(r"[0-9a-f]{64}")
SHA256 = re.compile(r"sha256:[0-9a-f]{64}")
PATTERN_DIGEST = re.compile(r"sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128}")
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
# A reference as podman stores it: registry, path, then a tag and/or a digest (the distribution grammar).
NORMALISED_REF = re.compile(
    rf"(?P<name>(?P<registry>(?:\[[A-Fa-f0-9:]+\]|{_DOMAIN}(?:\.{_DOMAIN})*)(?::[0-9]+)?)"
    rf"/(?P<path>{_COMPONENT}(?:/{_COMPONENT})*))"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128}))?",
    re.ASCII,
)


class Undecidable(Exception):
    """No decision can be made: the list, the storage metadata or the state cannot be used (AdmissionListError)."""


class Corrupt(Exception):
    """The admission list's content is wrong (the message completes `corrupt: ...`)."""


def join(*parts):
    # node's path.join: normalised, and a leading // collapsed (posixpath keeps it).
    joined = posixpath.normpath("/".join(parts))
    return "/" + joined.lstrip("/") if joined.startswith("//") else joined


def js_string(value):
    # String(value) in JavaScript, for the few places a reason quotes a value from the state.
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, list):
        return ",".join("" if v is None else js_string(v) for v in value)
    return str(value)


def read_root_file(path, limit):
    """Reads a file only root may have written: no symlink (O_NOFOLLOW), checked on the open fd (no swap)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == 2:
            why = "it does not exist"
        elif error.errno == 40:
            why = "it is a symlink"
        else:
            text = os.strerror(error.errno)
            code = errno.errorcode.get(error.errno, str(error.errno))
            why = f"Error: {code}: {text[:1].lower()}{text[1:]}, open '{path}'"
        raise Undecidable(f"cannot read {path}: {why}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Undecidable(f"cannot read {path}: not a regular file")
        if info.st_uid not in (0, os.getuid()):
            raise Undecidable(f"cannot read {path}: owned by uid {info.st_uid}, not root")
        if info.st_mode & 0o022:
            raise Undecidable(
                f"cannot read {path}: writable by group or others (mode {oct(info.st_mode & 0o777)[2:]})"
            )
        if info.st_size > limit:
            raise Undecidable(f"cannot read {path}: {info.st_size} bytes, over {limit}")
        chunks = []
        left = info.st_size
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse_json(data):
    # JSON.parse: no NaN or Infinity; bytes decoded as UTF-8 with replacement, as node's toString('utf8').
    return json.loads(data.decode("utf-8", "replace"), parse_constant=_no_constant)


def storage_json(path):
    data = read_root_file(path, MAX_STORAGE_JSON_BYTES)
    try:
        return parse_json(data)
    except ValueError:
        raise Undecidable(f"{path} is not JSON") from None


def fields(value):
    # `v.field` on a JSON value: an object's members; an array has none.
    return value if isinstance(value, dict) else {}


def is_object(value):
    return isinstance(value, (dict, list))


def is_string(value):
    return isinstance(value, str) and value != ""


def is_digest(value):
    return isinstance(value, str) and SHA256.fullmatch(value) is not None


def compiled_regex(value):
    if not isinstance(value, str) or value == "" or len(value) > MAX_MATCHER_REGEX:
        return None
    try:
        return re.compile(value)
    except re.error:
        return None


def check_image(value, at):
    if not is_object(value):
        raise Corrupt(f"{at} is not an object")
    v = fields(value)
    if not is_digest(v.get("configDigest")):
        raise Corrupt(f"{at}.configDigest is not a sha256 digest")
    if "digest" in v and not is_digest(v["digest"]):
        raise Corrupt(f"{at}.digest is not a sha256 digest")
    if not is_string(v.get("ref")) or not is_string(v.get("reason")):
        raise Corrupt(f"{at} lacks ref or reason")
    ban_ids = v.get("banIds")
    if not isinstance(ban_ids, list) or not all(is_string(i) for i in ban_ids):
        raise Corrupt(f"{at}.banIds is not a list of ids")
    return v


def check_matcher(value, at):
    if not isinstance(value, dict):
        raise Corrupt(f"{at} is not an object")
    if "error" in value:
        if not is_string(value["error"]):
            raise Corrupt(f"{at}.error is not a string")
        return {"error": value["error"]}
    if not is_string(value.get("text")):
        raise Corrupt(f"{at}.text is missing")
    if "digest" in value:
        if not isinstance(value["digest"], str) or PATTERN_DIGEST.fullmatch(value["digest"]) is None:
            raise Corrupt(f"{at}.digest is not a digest")
        return {"text": value["text"], "digest": value["digest"]}
    bad = f"is not a regular expression of at most {MAX_MATCHER_REGEX} characters"
    name = compiled_regex(value.get("name"))
    if name is None:
        raise Corrupt(f"{at}.name {bad}")
    tag = None
    if "tag" in value:
        tag = compiled_regex(value["tag"])
        if tag is None:
            raise Corrupt(f"{at}.tag {bad}")
    return {"text": value["text"], "name": name, "tag": tag}


def check_pattern(value, at):
    if not is_object(value):
        raise Corrupt(f"{at} is not an object")
    v = fields(value)
    if not is_string(v.get("pattern")) or not is_string(v.get("reason")):
        raise Corrupt(f"{at} lacks pattern or reason")
    if "banId" in v and not is_string(v["banId"]):
        raise Corrupt(f"{at}.banId is not a string")
    return {"pattern": v["pattern"], "reason": v["reason"], "match": check_matcher(v.get("match"), f"{at}.match")}


def check_document(data):
    try:
        doc = parse_json(data)
    except ValueError:
        raise Corrupt("not JSON") from None
    if not isinstance(doc, dict):
        raise Corrupt("not a JSON object")
    if doc.get("format") != FORMAT:
        raise Corrupt(f"format is not {FORMAT}")
    generation = doc.get("generation")
    if isinstance(generation, float) and generation.is_integer():
        generation = int(generation)
    if not isinstance(generation, int) or isinstance(generation, bool) or not 1 <= generation <= 2**53 - 1:
        raise Corrupt("generation is not a positive integer")
    if not is_string(doc.get("writtenAt")):
        raise Corrupt("writtenAt is missing")
    if not isinstance(doc.get("unsupported"), list) or not isinstance(doc.get("banned"), list):
        raise Corrupt("unsupported or banned is not a list")
    unsupported = [check_image(v, f"unsupported[{i}]") for i, v in enumerate(doc["unsupported"])]
    banned = [check_pattern(v, f"banned[{i}]") for i, v in enumerate(doc["banned"])]
    return unsupported, banned


def read_admission_list(state_dir):
    path = join(state_dir, "admission", "unsupported.json")
    data = read_root_file(path, MAX_LIST_BYTES)
    try:
        return check_document(data)
    except Corrupt as error:
        raise Undecidable(f"cannot read {path}: corrupt: {error}") from None


def container_image(state_dir, container_id):
    """The image's names, manifest digests and config digest, from the storage's own metadata (no daemon)."""
    storage = join(state_dir, "containers", "storage")
    containers = storage_json(join(storage, "vfs-containers", "containers.json"))
    container = None
    if isinstance(containers, list):
        container = next((c for c in containers if isinstance(c, dict) and c.get("id") == container_id), None)
    if container is None:
        raise Undecidable(f"container {container_id[:12]} is not in {storage}")
    image_id = container.get("image")
    if not isinstance(image_id, str) or HEX64.fullmatch(image_id) is None:
        raise Undecidable(f"container {container_id[:12]} has no image (a --rootfs container?)")
    images = storage_json(join(storage, "vfs-images", "images.json"))
    image = None
    if isinstance(images, list):
        image = next((i for i in images if isinstance(i, dict) and i.get("id") == image_id), None)
    if image is None:
        raise Undecidable(f"image {image_id[:12]} is not in {storage}")

    def strings(value):
        return [s for s in value if isinstance(s, str)] if isinstance(value, list) else []

    digests = []
    if isinstance(image.get("digest"), str):
        digests.append(image["digest"])
    for name in strings(image.get("big-data-names")):
        if name.startswith("manifest-sha256:"):
            digests.append(name[len("manifest-") :])
    refs = strings(image.get("names"))
    metadata = container.get("metadata")
    if isinstance(metadata, str) or metadata is None:
        try:
            written = parse_json((metadata or "{}").encode("utf-8", "surrogatepass"))
            written = written.get("image-name") if isinstance(written, dict) else None
            if isinstance(written, str) and written != "":
                refs.append(written)
        except (ValueError, UnicodeError):
            pass  # The names in images.json are enough.
    return refs, digests, f"sha256:{image_id}"


def normalised_ref(text):
    """(name, tag, digest) of a reference already in normal form, or None when it is not (or not valid)."""
    m = NORMALISED_REF.fullmatch(text)
    if m is None:
        return None
    registry, path = m.group("registry"), m.group("path")
    is_registry = "." in registry or ":" in registry or registry == "localhost" or registry.lower() != registry
    if not is_registry or registry == "index.docker.io" or (registry == "docker.io" and "/" not in path):
        return None
    if len(m.group("name")) > NAME_MAX_LENGTH:
        return None
    tag, digest = m.group("tag"), m.group("digest")
    return m.group("name"), tag if tag is not None or digest is not None else "latest", digest


def admit(refs, digests, config_digest, unsupported, banned):
    """admitImage: None to allow, else the reason to refuse."""
    known = set(digests)
    known.add(config_digest)
    for image in unsupported:
        if image["configDigest"] in known or ("digest" in image and image["digest"] in known):
            return f"{image['ref']} is unsupported (ban {', '.join(image['banIds'])}): {image['reason']}"
    parsed = []
    for text in refs:
        ref = normalised_ref(text)
        if ref is None:
            if banned:
                raise Undecidable(f"image name {text!r} is not a normalised reference; cannot match it against bans")
            continue
        parsed.append((text, ref))
    for ban in banned:
        match = ban["match"]
        if "error" in match:
            return f"ban pattern {ban['pattern']} cannot be read: {match['error']}"
        if "digest" in match:
            if match["digest"] in known:
                return f"{match['digest']} is banned: {ban['reason']}"
            hit = next((text for text, (_, _, digest) in parsed if digest == match["digest"]), None)
        else:
            name_re, tag_re = match["name"], match["tag"]
            hit = next(
                (
                    text
                    for text, (name, tag, _) in parsed
                    if name_re.search(name) is not None
                    and (tag_re is None or (tag is not None and tag_re.search(tag) is not None))
                ),
                None,
            )
        if hit is not None:
            return f"{hit} is banned by {match['text']}: {ban['reason']}"
    return None


def decide(state_dir, state_bytes):
    try:
        state = parse_json(state_bytes)
    except ValueError:
        raise Undecidable("the container state on stdin is not JSON") from None
    container_id = fields(state).get("id")
    if not isinstance(container_id, str) or HEX64.fullmatch(container_id) is None:
        raise Undecidable("the container state has no valid id")
    # The bundle must be this container's own directory in this state dir's storage: a state naming another
    # storage (podman --root) or a bundle elsewhere is a container this hook cannot vouch for.
    expected = join(state_dir, "containers", "storage", "vfs-containers", container_id, "userdata")
    bundle = fields(state).get("bundle", ...)
    if bundle != expected:
        shown = "undefined" if bundle is ... else js_string(bundle)
        raise Undecidable(f"container {container_id[:12]} is not in this state dir's storage (bundle {shown})")
    refs, digests, config_digest = container_image(state_dir, container_id)
    unsupported, banned = read_admission_list(state_dir)
    return admit(refs, digests, config_digest, unsupported, banned)


def answer(state_dir, state_bytes):
    """(allowed, message): the reason of a refusal, or the note of a start let through by the override."""
    try:
        reason = decide(state_dir, state_bytes)
        return (True, None) if reason is None else (False, reason)
    except Undecidable as error:
        why = str(error)
    except Exception as error:  # noqa: BLE001 - anything unforeseen is undecidable, never an allow
        why = f"cannot decide: {error}"
    fail_open = join(state_dir, "admission", "fail-open")
    try:
        read_root_file(fail_open, 4096)
    except Exception:  # noqa: BLE001 - an override that cannot be read is no override
        return False, f"{why} (failing closed)"
    return True, f"{why}; allowed by {fail_open}"


def main():
    if len(sys.argv) < 2 or not sys.argv[1].startswith("/"):
        sys.stderr.write("drydock admission: refused: the hook needs the absolute state dir as its argument\n")
        return 1
    data = sys.stdin.buffer.read(MAX_STATE_BYTES + 1)
    if len(data) > MAX_STATE_BYTES:
        allowed, message = False, f"the container state on stdin is over {MAX_STATE_BYTES} bytes"
    else:
        allowed, message = answer(sys.argv[1], data)
    if allowed:
        if message:
            sys.stderr.write(f"drydock admission: {message}\n")
        return 0
    sys.stderr.write(f"drydock admission: refused: {message}\n")
    return 1


def run():
    """Answers and exits: 0 to allow, 1 to refuse, whatever happens."""
    try:
        status = main()
    except BaseException as error:  # noqa: BLE001 - fail closed on anything, even an interrupt
        try:
            sys.stderr.write(f"drydock admission: refused: {error!r}\n")
        finally:
            os._exit(1)
    sys.exit(status)


if __name__ == "__main__":
    run()
