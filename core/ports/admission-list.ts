/** An image admission refuses to start, and why. */
export interface UnsupportedImage {
  /** Manifest digest, when known (a registry image). */
  readonly digest?: string;
  /** Config digest (the image ID), what a container runtime knows of every image. */
  readonly configDigest: string;
  readonly ref: string;
  readonly banIds: readonly string[];
  readonly reason: string;
}

/**
 * The list the runtime's admission plugin reads without the pipeline (the OCI prestart hook locally; the ECS
 * lifecycle hook on AWS reads the lineage store instead). Replaced whole, atomically, after every change.
 */
export interface AdmissionList {
  replace(images: readonly UnsupportedImage[]): Promise<void>;
}
