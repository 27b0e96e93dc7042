/* bough-gql-lexer.h: the GraphQL lexer (October 2021 specification, graphql-js messages).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-gql-ast.h"

G_BEGIN_DECLS

typedef enum
{
  BOUGH_GQL_TOKEN_SOF,
  BOUGH_GQL_TOKEN_EOF,
  BOUGH_GQL_TOKEN_BANG,
  BOUGH_GQL_TOKEN_DOLLAR,
  BOUGH_GQL_TOKEN_AMP,
  BOUGH_GQL_TOKEN_PAREN_L,
  BOUGH_GQL_TOKEN_PAREN_R,
  BOUGH_GQL_TOKEN_SPREAD,
  BOUGH_GQL_TOKEN_COLON,
  BOUGH_GQL_TOKEN_EQUALS,
  BOUGH_GQL_TOKEN_AT,
  BOUGH_GQL_TOKEN_BRACKET_L,
  BOUGH_GQL_TOKEN_BRACKET_R,
  BOUGH_GQL_TOKEN_BRACE_L,
  BOUGH_GQL_TOKEN_PIPE,
  BOUGH_GQL_TOKEN_BRACE_R,
  BOUGH_GQL_TOKEN_NAME,
  BOUGH_GQL_TOKEN_INT,
  BOUGH_GQL_TOKEN_FLOAT,
  BOUGH_GQL_TOKEN_STRING,
  BOUGH_GQL_TOKEN_BLOCK_STRING,
} BoughGqlTokenKind;

typedef struct
{
  BoughGqlTokenKind kind;
  gsize start;                  /* byte offsets into the source */
  gsize end;
  guint line;                   /* 1-based */
  guint column;                 /* 1-based, in UTF-16 code units as graphql-js counts */
  const char *value;            /* NAME, INT, FLOAT, (BLOCK_)STRING: text or cooked value */
} BoughGqlToken;

typedef struct
{
  const char *source;
  gsize length;
  BoughGqlArena *arena;         /* token values are allocated here */
  BoughGqlToken token;          /* the current token */
  gsize pos;
  guint line;
  gsize line_start;
  /* the column of the last token start, to count columns incrementally */
  gsize column_pos;
  guint column;
  guint n_tokens;
  /* set when a lexing error happened */
  char *error_message;
  guint error_line;
  guint error_column;
} BoughGqlLexer;

void         bough_gql_lexer_init     (BoughGqlLexer *lexer,
                                       const char    *source,
                                       gsize          length,
                                       BoughGqlArena *arena);
void         bough_gql_lexer_clear    (BoughGqlLexer *lexer);
gboolean     bough_gql_lexer_advance  (BoughGqlLexer *lexer);
gboolean     bough_gql_lexer_lookahead (BoughGqlLexer *lexer,
                                        BoughGqlToken *out);
void         bough_gql_lexer_location (BoughGqlLexer *lexer,
                                       gsize          pos,
                                       guint         *line,
                                       guint         *column);
const char  *bough_gql_token_kind_to_string (BoughGqlTokenKind kind);
char        *bough_gql_token_kind_describe (BoughGqlTokenKind kind);
char        *bough_gql_token_describe (const BoughGqlToken *token);

G_END_DECLS
