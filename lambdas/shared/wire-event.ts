import * as z from 'zod';
import { fromEventBridge } from '../../core/events/index.js';

/** The EventBridge wire form turned into drydock's envelope fields (see `core/events`). */
export const fromWire = fromEventBridge;

/** A schema that accepts an event as EventBridge delivers it and validates it as the drydock envelope `schema`. */
export const wireEvent = <S extends z.ZodType>(schema: S) => z.preprocess(fromWire, schema);
