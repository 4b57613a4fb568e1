thread_local long tv = 5;  // no dynamic initialisation: no _ZTH2tv is emitted
