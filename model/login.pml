/*
 * pot-login's login protocol against an RFC 9700 §3 attacker (model/README.md says what each part stands for).
 * Switches (spin -DNAME) reproduce broken designs; each must give a counterexample:
 *   STATE_DERIVED      binding and PKCE verifier derived from the public state (the design before ADR-0005)
 *   NO_SINGLE_USE      the used-state mark dropped
 *   NO_PKCE            the portal ignores code_challenge
 *   NO_ISS_CHECK       the callback's iss is not compared with ours (RFC 9207)
 *   NO_AUD_CHECK       a token's client (aud) is not checked
 *   LOCAL_SIGN_OUT     each instance remembers only its own sign-outs
 * Cryptography is opaque: a state is the app's record (login id, digest of that login's secret) that only the app
 * mints, so the model names it by its login id; a secret is known only to the browser it was set in.
 */

#define VICTIM 0          /* browser B, whose owner is the victim's account */
#define ATTACKER 1        /* the attacker's own browser (and client) */
#define APP 0             /* our client id */
#define OTHER 1           /* the attacker's own client at the same portal */
#define OURS 0            /* iss of our portal */
#define ELSE 1            /* iss of another issuer (mix-up) */
#define NONE 0            /* no cookie / no challenge */
#define MAXC 4            /* codes the portal issues in one run */
#define TOKEN(u, c) ((u) * 2 + (c))
#define TOKEN_USER(t) ((t) / 2)
#define TOKEN_CLIENT(t) ((t) % 2)
#define SECRET(l) ((l) + 1)   /* login l's flow secret; its binding digest and its verifier are functions of it */

#ifdef NO_PKCE
#define PKCE_OK(c, v) true
#else
#define PKCE_OK(c, v) (codeChallenge[c] == (v))
#endif
#ifdef NO_AUD_CHECK
#define AUD_OK(t) true
#else
#define AUD_OK(t) (TOKEN_CLIENT(t) == APP)
#endif

mtype = { CALLBACK, ME, LOGOUT };

/* Login 0 is started by the victim's browser, login 1 by the attacker's: two logins keep the state space small. */
bit issued[2];            /* the app minted state l (signed: nobody else can) */
byte starter[2];          /* the browser that started login l (holds its flow cookie) */
bit used[2];              /* the used-state store, shared by both instances (Redis SET NX) */

byte codeUser[MAXC];      /* the portal binds each code to (user, client with its redirect, code_challenge) */
byte codeClient[MAXC];
byte codeChallenge[MAXC];
byte codes;

bit signedOut[8];         /* the signed-out store: [store * 4 + token]; one store shared unless LOCAL_SIGN_OUT */
bit signOutDone;

/* What the attacker knows: every authorization response (A3), its own logins, cookies and codes. */
byte knownCodes;          /* bit c: code c */
bit knownState[2];
bit knownSecret[2];       /* it can present login l's flow cookie and knows its verifier and challenge */

byte victimToken = 255;   /* the session the victim's browser holds, once it has one */

/* Observations the properties speak of. */
bit victimWrongSession;   /* a session in B of another account, or for a login B did not start */
bit attackerVictimSession;/* a session in the attacker's browser as the victim, or for the victim's login */
byte sessions[2];         /* sessions created per state */
bit uncheckedExchange;    /* a code went to the portal before every check had passed */
bit signedOutAccepted;    /* a session accepted after it was signed out */
bit foreignAccepted;      /* a token issued to another client accepted as a session */

ltl browser_binding { [] !victimWrongSession }
ltl no_session_from_a_leaked_url { [] !attackerVictimSession }
ltl single_use { [] (sessions[0] <= 1 && sessions[1] <= 1) }
ltl checks_before_exchange { [] !uncheckedExchange }
ltl signed_out_refused_everywhere { [] !signedOutAccepted }
ltl foreign_token_never_a_session { [] !foreignAccepted }

/* A load balancer: either instance takes any request, in any interleaving with the other. */
chan toApp = [2] of { mtype, byte /*browser*/, byte /*code*/, byte /*state*/, byte /*cookie*/, bit /*iss*/,
                      byte /*token*/, bit /*sent after sign-out*/ };
chan lure = [1] of { byte /*code*/, byte /*state*/, bit /*iss*/ };

inline newSession(br, st, tok) {
  atomic {
    sessions[st]++;
    if
    :: br == VICTIM ->
       victimToken = tok;
       victimWrongSession = victimWrongSession || TOKEN_USER(tok) != VICTIM || starter[st] != VICTIM
    :: else ->
       attackerVictimSession = attackerVictimSession || TOKEN_USER(tok) == VICTIM || starter[st] == VICTIM
    fi;
    foreignAccepted = foreignAccepted || TOKEN_CLIENT(tok) != APP
  }
}

proctype App(byte inst) {
  mtype kind; byte br, c, st, ck, tok; bit iss, after;
  bit bound, issOk, marked;
  byte store;
#ifdef LOCAL_SIGN_OUT
  store = inst;
#else
  store = 0;
#endif
end:
  do
  :: atomic {
       toApp?kind, br, c, st, ck, iss, tok, after;
       /* LoginFlow.complete: state -> binding -> iss -> single use -> exchange -> token verification */
       bound = issued[st] && ck == SECRET(st);
#ifdef NO_ISS_CHECK
       issOk = 1;
#else
       issOk = (iss == OURS);
#endif
       if
       :: kind == CALLBACK && bound && issOk -> skip
       :: kind == CALLBACK && !(bound && issOk) -> goto done   /* state_not_bound / issuer_mismatch */
       :: kind == ME ->
          if
          :: AUD_OK(tok) && !signedOut[store * 4 + tok] ->
             signedOutAccepted = signedOutAccepted || after;
             foreignAccepted = foreignAccepted || TOKEN_CLIENT(tok) != APP
          :: else -> skip      /* not_signed_in */
          fi;
          goto done
       :: kind == LOGOUT ->
          signedOut[store * 4 + tok] = 1; signOutDone = 1;
          goto done
       fi
     }
     /* the other instance may run here: both hold copies of one callback */
#ifdef NO_SINGLE_USE
     marked = 0;
#else
     atomic { marked = !used[st]; used[st] = 1 };   /* one SET NX, shared by both instances */
     if :: !marked -> goto done :: else -> skip fi;  /* state_replayed */
#endif
     atomic {
       /* the token request: the verifier comes from the cookie's secret; the portal checks the code's binding */
       uncheckedExchange = uncheckedExchange || !marked || !bound || iss != OURS;
       if
       :: codeClient[c] == APP && PKCE_OK(c, ck) ->
          tok = TOKEN(codeUser[c], APP);
          if
          :: AUD_OK(tok) -> newSession(br, st, tok)
          :: else -> skip      /* portal_bad_response */
          fi
       :: else -> skip      /* invalid_grant */
       fi
     }
done:
     atomic { kind = 0; br = 0; c = 0; st = 0; ck = 0; iss = 0; tok = 0; after = 0; bound = 0; issOk = 0; marked = 0 }
  od
}

/* The victim signs in once, may open its callback twice (reload, two tabs), follows a link the attacker planted,
 * and signs out, after which a copy of its session cookie is presented again at any instance. */
proctype Victim() {
  byte c, st; bit iss;
  atomic {
    issued[0] = 1; starter[0] = VICTIM;
    c = codes; codeUser[c] = VICTIM; codeClient[c] = APP; codeChallenge[c] = SECRET(0); codes++;
    /* A3: the attacker reads the authorization response (code and state on the callback URL) */
    knownCodes = knownCodes | (1 << c); knownState[0] = 1;
#ifdef STATE_DERIVED
    knownSecret[0] = 1;      /* cookie value and verifier were functions of the state, which it now holds */
#endif
  }
  toApp!CALLBACK, VICTIM, c, 0, SECRET(0), OURS, 0, 0;
  if :: toApp!CALLBACK, VICTIM, c, 0, SECRET(0), OURS, 0, 0 :: skip fi;
end:
  do
  :: lure?c, st, iss ->
     /* __Host-: only cookies the app set in this browser; the cookie named by the state's login id */
     toApp!CALLBACK, VICTIM, c, st, (starter[st] == VICTIM && issued[st] -> SECRET(st) : NONE), iss, 0, 0;
     atomic { c = 0; st = 0; iss = 0 }
  :: victimToken != 255 && !signOutDone ->
     toApp!LOGOUT, VICTIM, 0, 0, 0, OURS, victimToken, 0;
     signOutDone;
     toApp!ME, VICTIM, 0, 0, 0, OURS, victimToken, 1
  od
}

proctype Attacker() {
  byte budget = 3;
  byte c, st, ck, cl; bit iss;
end:
  do
  :: budget > 0 ->
     budget--;
     if
     :: !issued[1] ->        /* a login of its own, in its own browser */
        atomic { issued[1] = 1; starter[1] = ATTACKER; knownState[1] = 1; knownSecret[1] = 1 }
     :: codes < MAXC ->      /* signs in at the portal as itself, for our client or its own, with any challenge it can compute */
        atomic {
          select(cl : APP .. OTHER);
          select(st : 0 .. 2);
          if
          :: st == 2 -> ck = NONE
          :: st < 2 && knownSecret[st] -> ck = SECRET(st)
          fi;
          c = codes; codeUser[c] = ATTACKER; codeClient[c] = cl; codeChallenge[c] = ck; codes++;
          knownCodes = knownCodes | (1 << c)
        }
     :: knownCodes != 0 ->   /* a callback from its own browser: any code and state it read, any cookie it can build */
        atomic {
          select(c : 0 .. MAXC - 1); (knownCodes & (1 << c)) != 0;
          select(st : 0 .. 1); knownState[st];
          select(ck : 0 .. 2); (ck == NONE || knownSecret[ck - 1]);
          select(iss : OURS .. ELSE);
          toApp!CALLBACK, ATTACKER, c, st, ck, iss, 0, 0
        }
     :: knownCodes != 0 ->   /* login CSRF: a callback URL of its choice opened in the victim's browser */
        atomic {
          select(c : 0 .. MAXC - 1); (knownCodes & (1 << c)) != 0;
          select(st : 0 .. 1); knownState[st];
          select(iss : OURS .. ELSE);
          lure!c, st, iss
        }
     :: true ->              /* a token issued to another client (for the victim, or itself) as a session cookie */
        atomic { select(cl : 0 .. 1); toApp!ME, ATTACKER, 0, 0, 0, OURS, TOKEN(cl, OTHER), 0 }
     fi
  :: budget == 0 -> break
  od;
  atomic { c = 0; st = 0; ck = 0; cl = 0; iss = 0 }
}

init {
  atomic {
    run App(0); run App(1); run Victim(); run Attacker()
  }
}
