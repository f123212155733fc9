export * from "./matrix.js";
export { svd, singularValues, type SvdOptions, type SvdResult } from "./svd.js";
export { eigh, eigvalsh, type EighOptions, type EighResult } from "./eigh.js";
export { cholesky, choleskySolve, type CholeskyOptions } from "./cholesky.js";
export { solve } from "./lu.js";
export { qr, type QrResult } from "./qr.js";
export { sqrtmPsd, invSqrtmPsd, type SqrtmPsdOptions, type InvSqrtmPsdOptions } from "./sqrtm.js";
export { nuclearNorm, operatorNorm } from "./norms.js";
