import { DrydockError } from '../errors.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';
import type { AdmissionList } from '../ports/admission-list.js';
import type { BanStore } from '../ports/ban-store.js';
import type { Clock } from '../ports/clock.js';
import type { SupportMarkers } from '../ports/support-markers.js';

/** What rewriting support after a ban or an unban needs. */
export interface SupportPorts {
  readonly store: BanStore;
  readonly admission: AdmissionList;
  readonly markers: SupportMarkers;
  readonly clock: Clock;
}

/** The registry repository of a published image reference (`127.0.0.1:5000/apps/x:tag` → `apps/x`). */
export function registryRepositoryOf(ref: string): string | undefined {
  const parsed = parseImageRef(ref);
  return parsed.ok ? parsed.ref.repository : undefined;
}

/** Registry markers that could not be written and no retry will fix; admission refuses the images all the same. */
export class SupportMarkerError extends DrydockError {
  override readonly name = 'SupportMarkerError';

  constructor(failures: readonly string[]) {
    const shown = failures.slice(0, 5).join('; ');
    const more = failures.length > 5 ? `; and ${failures.length - 5} more` : '';
    super(`registry markers not written (admission refuses these images all the same): ${shown}${more}`, {
      code: 'SUPPORT_MARKER_FAILED',
    });
  }
}

/**
 * Makes admission and the registry say what the ban store says: the admission list is rewritten whole first
 * (protection before anything else), then each image's marker names the active bans that still cover it
 * (`unsupported: false` when none does any more). A retryable failure throws at once (the step runs again);
 * one that no retry fixes does not stop the others and is returned, for the caller to report once its work is done.
 */
export async function rewriteSupport(
  ports: SupportPorts,
  images: readonly { readonly digest: string; readonly ref: string }[],
): Promise<string[]> {
  const failures: string[] = [];
  await ports.admission.replace(await ports.store.unsupportedImages());
  const support = await ports.store.supportOf(images.map((i) => i.digest));
  const at = ports.clock.now().toISOString();
  for (const image of images) {
    const repository = registryRepositoryOf(image.ref);
    // An image drydock published always has a parseable ref; one that does not is left to the lineage store.
    if (repository === undefined) {
      failures.push(`${image.ref}: not a reference the registry can hold a marker for`);
      continue;
    }
    const bans = support.get(image.digest) ?? [];
    try {
      await ports.markers.put(repository, {
        subject: image.digest,
        unsupported: bans.length > 0,
        bans: bans.map((b) => ({ banId: b.banId, reason: b.reason })),
        at,
      });
    } catch (error) {
      if (!(error instanceof DrydockError) || error.retryable) throw error;
      failures.push(`${image.ref}: ${error.message}`);
    }
  }
  return failures;
}
