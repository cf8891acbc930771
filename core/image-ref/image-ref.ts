/** A parsed, normalised image reference: `node:20` is registry docker.io, repository library/node, tag 20. */
export interface ImageRef {
  /** Registry host and optional port, `docker.io` for Docker Hub. */
  readonly registry: string;
  /** Path inside the registry, `library/node` for the official node image. */
  readonly repository: string;
  /** `registry/repository`, the fully qualified name. */
  readonly name: string;
  /** The tag; `latest` when neither a tag nor a digest was written (see `implicitTag`). */
  readonly tag?: string;
  /** The content digest, `sha256:<hex>`, when one was written. */
  readonly digest?: string;
  /** True when the tag is the `latest` Docker assumes because the text named no tag and no digest. */
  readonly implicitTag: boolean;
}

/** What parsing a reference gives: the reference, or what is wrong and at which offset of the text. */
export type ParseResult =
  | { readonly ok: true; readonly ref: ImageRef }
  | {
      readonly ok: false;
      /** A full sentence for people: the text, the 1-based position and the problem. */
      readonly error: string;
      /** 0-based offset of the fault in the text. */
      readonly position: number;
      /** The problem alone, without the text and position. */
      readonly problem: string;
    };
