/**
 * The tfjs side of flatlab: the backend choice and the tfjs instance the library itself uses.
 * Notebooks import `tf` from here so that their tensors live on the same engine (and backend) as
 * the library's; a second copy of @tensorflow/tfjs resolved from the notebook folder would not
 * see the backend selected here.
 */
import * as tf from "@tensorflow/tfjs";

export { tf };
export { selectBackend, backendInfo, BACKEND_NAMES, type BackendName, type BackendInfo } from "./backend.js";
