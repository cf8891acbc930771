// Files named like definitions that are not: BuildKit's per-Dockerfile ignore files, docs, templates, backups.
const NOT_DEFINITIONS =
  /\.(dockerignore|md|markdown|txt|rst|adoc|j2|jinja2?|tpl|tmpl|template|bak|orig|swp|sh|ps1|json|ya?ml)$|~$/i;

/** True for file names drydock treats as container definitions (`Dockerfile`, `api.Dockerfile`, `Containerfile.prod`). */
export function isDefinitionName(name: string): boolean {
  if (NOT_DEFINITIONS.test(name)) return false;
  return /^(Dockerfile|Containerfile)(\..+)?$/i.test(name) || /\.(dockerfile|containerfile)$/i.test(name);
}
