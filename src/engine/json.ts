/** A JSON value: what conversation variables and action results are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
