/**
 * What the client reads from Freepik's task answers (submit, status, webhook): only the fields it
 * uses. `status` is any string (an unknown value is read as running), `generated` may be missing
 * until the task completes; everything else stays in `raw`.
 */
import { z } from "zod";

export const TaskRead = z.object({
  task_id: z.string().min(1),
  status: z.string().min(1),
  generated: z.array(z.string()).optional(),
});

export const TaskResponseRead = z.object({ data: TaskRead });

export type TaskRead = z.infer<typeof TaskRead>;
