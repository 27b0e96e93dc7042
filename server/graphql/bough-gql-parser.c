/* bough-gql-parser.c: recursive-descent parser of GraphQL documents into an arena-allocated AST.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql"

#include "config.h"

#include <setjmp.h>
#include <string.h>

#include "bough-error.h"
#include "bough-gql-lexer.h"
#include "bough-gql-parser.h"

/* Errors unwind with longjmp: every allocation made while parsing lives in
 * the document's arena (freed by the caller on error), and messages are
 * built into the parser struct before the jump, so nothing leaks. This keeps
 * the dozens of grammar functions free of error plumbing. */
typedef struct
{
  BoughGqlLexer lexer;
  BoughGqlArena *arena;
  const BoughGqlParseOptions *options;
  guint depth;
  guint max_depth;
  jmp_buf jump;
  char *message;
  int code;
  guint line;
  guint column;
  BoughGqlNode *root;
} Parser;

typedef struct
{
  BoughGqlNode *head;
  BoughGqlNode *tail;
} List;

static void
list_append (List         *list,
             BoughGqlNode *node)
{
  if (list->tail != NULL)
    list->tail->next = node;
  else
    list->head = node;
  list->tail = node;
}

G_GNUC_NORETURN static void
fail_at (Parser *p,
         int     code,
         gsize   pos,
         char   *message)
{
  p->message = message;
  p->code = code;
  bough_gql_lexer_location (&p->lexer, pos, &p->line, &p->column);
  longjmp (p->jump, 1);
}

G_GNUC_NORETURN static void
fail_lexer (Parser *p)
{
  p->message = g_steal_pointer (&p->lexer.error_message);
  p->code = BOUGH_ERROR_PARSE;
  p->line = p->lexer.error_line;
  p->column = p->lexer.error_column;
  longjmp (p->jump, 1);
}

G_GNUC_NORETURN static void
syntax_error (Parser     *p,
              gsize       pos,
              const char *format,
              ...) G_GNUC_PRINTF (3, 4);

static void
syntax_error (Parser     *p,
              gsize       pos,
              const char *format,
              ...)
{
  va_list args;
  char *msg;
  char *full;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  full = g_strconcat ("Syntax Error: ", msg, NULL);
  g_free (msg);
  fail_at (p, BOUGH_ERROR_PARSE, pos, full);
}

G_GNUC_NORETURN static void
unexpected (Parser              *p,
            const BoughGqlToken *token)
{
  char *desc = bough_gql_token_describe (token);
  char *msg = g_strdup_printf ("Syntax Error: Unexpected %s.", desc);

  g_free (desc);
  fail_at (p, BOUGH_ERROR_PARSE, token->start, msg);
}

static inline BoughGqlToken *
tok (Parser *p)
{
  return &p->lexer.token;
}

static void
advance (Parser *p)
{
  if (!bough_gql_lexer_advance (&p->lexer))
    fail_lexer (p);
  if (p->options->max_tokens > 0 && p->lexer.n_tokens > p->options->max_tokens)
    fail_at (p, BOUGH_ERROR_LIMIT, tok (p)->start,
             g_strdup_printf ("Syntax Error: Document contains more than %u tokens. Parsing aborted.",
                              p->options->max_tokens));
}

static inline gboolean
peek (Parser            *p,
      BoughGqlTokenKind  kind)
{
  return tok (p)->kind == kind;
}

static BoughGqlToken
expect_token (Parser            *p,
              BoughGqlTokenKind  kind)
{
  BoughGqlToken t = *tok (p);

  if (t.kind == kind)
    {
      advance (p);
      return t;
    }
  {
    char *want = bough_gql_token_kind_describe (kind);
    char *found = bough_gql_token_describe (&t);
    char *msg = g_strdup_printf ("Syntax Error: Expected %s, found %s.", want, found);

    g_free (want);
    g_free (found);
    fail_at (p, BOUGH_ERROR_PARSE, t.start, msg);
  }
}

static gboolean
expect_optional_token (Parser            *p,
                       BoughGqlTokenKind  kind)
{
  if (tok (p)->kind == kind)
    {
      advance (p);
      return TRUE;
    }
  return FALSE;
}

static inline gboolean
peek_keyword (Parser     *p,
              const char *keyword)
{
  return tok (p)->kind == BOUGH_GQL_TOKEN_NAME && strcmp (tok (p)->value, keyword) == 0;
}

static void
expect_keyword (Parser     *p,
                const char *keyword)
{
  if (peek_keyword (p, keyword))
    {
      advance (p);
      return;
    }
  {
    char *found = bough_gql_token_describe (tok (p));
    char *msg = g_strdup_printf ("Syntax Error: Expected \"%s\", found %s.", keyword, found);

    g_free (found);
    fail_at (p, BOUGH_ERROR_PARSE, tok (p)->start, msg);
  }
}

static gboolean
expect_optional_keyword (Parser     *p,
                         const char *keyword)
{
  if (peek_keyword (p, keyword))
    {
      advance (p);
      return TRUE;
    }
  return FALSE;
}

static BoughGqlNode *
node_at (Parser              *p,
         BoughGqlKind         kind,
         const BoughGqlToken *start)
{
  return bough_gql_node_new (p->arena, kind, start->line, start->column);
}

static void
enter (Parser *p)
{
  if (++p->depth > p->max_depth)
    fail_at (p, BOUGH_ERROR_LIMIT, tok (p)->start,
             g_strdup_printf ("Syntax Error: Document nesting is deeper than %u levels. Parsing aborted.",
                              p->max_depth));
}

static void
leave (Parser *p)
{
  p->depth--;
}

static const char *
parse_name (Parser *p)
{
  return expect_token (p, BOUGH_GQL_TOKEN_NAME).value;
}

static void
parse_name_into (Parser       *p,
                 BoughGqlNode *node)
{
  node->name_line = tok (p)->line;
  node->name_column = tok (p)->column;
  node->name = parse_name (p);
}

static BoughGqlNode *parse_value (Parser *p, gboolean is_const);
static BoughGqlNode *parse_selection_set (Parser *p);
static BoughGqlNode *parse_type_reference (Parser *p);

static BoughGqlNode *
parse_variable (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node;

  expect_token (p, BOUGH_GQL_TOKEN_DOLLAR);
  node = node_at (p, BOUGH_GQL_VARIABLE, &start);
  parse_name_into (p, node);
  return node;
}

static BoughGqlNode *
parse_object_field (Parser   *p,
                    gboolean  is_const)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node = node_at (p, BOUGH_GQL_OBJECT_FIELD, &start);

  parse_name_into (p, node);
  expect_token (p, BOUGH_GQL_TOKEN_COLON);
  node->value = parse_value (p, is_const);
  return node;
}

static BoughGqlNode *
parse_value (Parser   *p,
             gboolean  is_const)
{
  BoughGqlToken t = *tok (p);
  BoughGqlNode *node;

  switch (t.kind)
    {
    case BOUGH_GQL_TOKEN_BRACKET_L:
      {
        List items = { NULL, NULL };

        enter (p);
        node = node_at (p, BOUGH_GQL_LIST_VALUE, &t);
        advance (p);
        while (!expect_optional_token (p, BOUGH_GQL_TOKEN_BRACKET_R))
          list_append (&items, parse_value (p, is_const));
        node->children = items.head;
        leave (p);
        return node;
      }
    case BOUGH_GQL_TOKEN_BRACE_L:
      {
        List fields = { NULL, NULL };

        enter (p);
        node = node_at (p, BOUGH_GQL_OBJECT_VALUE, &t);
        advance (p);
        while (!expect_optional_token (p, BOUGH_GQL_TOKEN_BRACE_R))
          list_append (&fields, parse_object_field (p, is_const));
        node->children = fields.head;
        leave (p);
        return node;
      }
    case BOUGH_GQL_TOKEN_INT:
    case BOUGH_GQL_TOKEN_FLOAT:
      advance (p);
      node = node_at (p, t.kind == BOUGH_GQL_TOKEN_INT ? BOUGH_GQL_INT_VALUE : BOUGH_GQL_FLOAT_VALUE, &t);
      node->text = t.value;
      return node;
    case BOUGH_GQL_TOKEN_STRING:
    case BOUGH_GQL_TOKEN_BLOCK_STRING:
      advance (p);
      node = node_at (p, BOUGH_GQL_STRING_VALUE, &t);
      node->text = t.value;
      node->block = t.kind == BOUGH_GQL_TOKEN_BLOCK_STRING;
      return node;
    case BOUGH_GQL_TOKEN_NAME:
      advance (p);
      if (strcmp (t.value, "true") == 0 || strcmp (t.value, "false") == 0)
        {
          node = node_at (p, BOUGH_GQL_BOOLEAN_VALUE, &t);
          node->boolean = t.value[0] == 't';
        }
      else if (strcmp (t.value, "null") == 0)
        node = node_at (p, BOUGH_GQL_NULL_VALUE, &t);
      else
        {
          node = node_at (p, BOUGH_GQL_ENUM_VALUE, &t);
          node->text = t.value;
        }
      return node;
    case BOUGH_GQL_TOKEN_DOLLAR:
      if (is_const)
        {
          expect_token (p, BOUGH_GQL_TOKEN_DOLLAR);
          if (peek (p, BOUGH_GQL_TOKEN_NAME))
            syntax_error (p, t.start, "Unexpected variable \"$%s\" in constant value.", tok (p)->value);
          unexpected (p, &t);
        }
      return parse_variable (p);
    default:
      unexpected (p, &t);
    }
}

static BoughGqlNode *
parse_arguments (Parser   *p,
                 gboolean  is_const)
{
  List args = { NULL, NULL };

  if (!expect_optional_token (p, BOUGH_GQL_TOKEN_PAREN_L))
    return NULL;
  do
    {
      BoughGqlToken start = *tok (p);
      BoughGqlNode *arg = node_at (p, BOUGH_GQL_ARGUMENT, &start);

      parse_name_into (p, arg);
      expect_token (p, BOUGH_GQL_TOKEN_COLON);
      arg->value = parse_value (p, is_const);
      list_append (&args, arg);
    }
  while (!expect_optional_token (p, BOUGH_GQL_TOKEN_PAREN_R));
  return args.head;
}

static BoughGqlNode *
parse_directives (Parser   *p,
                  gboolean  is_const)
{
  List dirs = { NULL, NULL };

  while (peek (p, BOUGH_GQL_TOKEN_AT))
    {
      BoughGqlToken start = *tok (p);
      BoughGqlNode *dir = node_at (p, BOUGH_GQL_DIRECTIVE, &start);

      advance (p);
      parse_name_into (p, dir);
      dir->arguments = parse_arguments (p, is_const);
      list_append (&dirs, dir);
    }
  return dirs.head;
}

static BoughGqlNode *
parse_named_type (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node = node_at (p, BOUGH_GQL_NAMED_TYPE, &start);

  parse_name_into (p, node);
  return node;
}

static BoughGqlNode *
parse_type_reference (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *type;

  if (expect_optional_token (p, BOUGH_GQL_TOKEN_BRACKET_L))
    {
      enter (p);
      type = node_at (p, BOUGH_GQL_LIST_TYPE, &start);
      type->type = parse_type_reference (p);
      expect_token (p, BOUGH_GQL_TOKEN_BRACKET_R);
      leave (p);
    }
  else
    type = parse_named_type (p);

  if (expect_optional_token (p, BOUGH_GQL_TOKEN_BANG))
    {
      BoughGqlNode *nn = node_at (p, BOUGH_GQL_NON_NULL_TYPE, &start);

      nn->type = type;
      return nn;
    }
  return type;
}

static BoughGqlNode *
parse_variable_definitions (Parser *p)
{
  List defs = { NULL, NULL };

  if (!expect_optional_token (p, BOUGH_GQL_TOKEN_PAREN_L))
    return NULL;
  do
    {
      BoughGqlToken start = *tok (p);
      BoughGqlNode *def = node_at (p, BOUGH_GQL_VARIABLE_DEFINITION, &start);
      BoughGqlNode *var = parse_variable (p);

      def->name = var->name;
      def->name_line = var->name_line;
      def->name_column = var->name_column;
      /* the variable keeps its own location for messages about it */
      def->value = NULL;
      expect_token (p, BOUGH_GQL_TOKEN_COLON);
      def->type = parse_type_reference (p);
      if (expect_optional_token (p, BOUGH_GQL_TOKEN_EQUALS))
        def->value = parse_value (p, TRUE);
      def->directives = parse_directives (p, TRUE);
      list_append (&defs, def);
    }
  while (!expect_optional_token (p, BOUGH_GQL_TOKEN_PAREN_R));
  return defs.head;
}

static BoughGqlNode *
parse_selection (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node;

  if (expect_optional_token (p, BOUGH_GQL_TOKEN_SPREAD))
    {
      gboolean has_type_condition = expect_optional_keyword (p, "on");

      if (!has_type_condition && peek (p, BOUGH_GQL_TOKEN_NAME))
        {
          node = node_at (p, BOUGH_GQL_FRAGMENT_SPREAD, &start);
          if (peek_keyword (p, "on"))
        unexpected (p, tok (p));
      parse_name_into (p, node);
          node->directives = parse_directives (p, FALSE);
          return node;
        }
      node = node_at (p, BOUGH_GQL_INLINE_FRAGMENT, &start);
      if (has_type_condition)
        node->type = parse_named_type (p);
      node->directives = parse_directives (p, FALSE);
      node->selection_set = parse_selection_set (p);
      return node;
    }

  node = node_at (p, BOUGH_GQL_FIELD, &start);
  parse_name_into (p, node);
  if (expect_optional_token (p, BOUGH_GQL_TOKEN_COLON))
    {
      node->alias = node->name;
      parse_name_into (p, node);
    }
  node->arguments = parse_arguments (p, FALSE);
  node->directives = parse_directives (p, FALSE);
  if (peek (p, BOUGH_GQL_TOKEN_BRACE_L))
    node->selection_set = parse_selection_set (p);
  return node;
}

static BoughGqlNode *
parse_selection_set (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node;
  List selections = { NULL, NULL };

  expect_token (p, BOUGH_GQL_TOKEN_BRACE_L);
  enter (p);
  node = node_at (p, BOUGH_GQL_SELECTION_SET, &start);
  do
    list_append (&selections, parse_selection (p));
  while (!expect_optional_token (p, BOUGH_GQL_TOKEN_BRACE_R));
  node->children = selections.head;
  leave (p);
  return node;
}

static BoughGqlOperationType
parse_operation_type (Parser *p)
{
  BoughGqlToken t = expect_token (p, BOUGH_GQL_TOKEN_NAME);

  if (strcmp (t.value, "query") == 0)
    return BOUGH_GQL_QUERY;
  if (strcmp (t.value, "mutation") == 0)
    return BOUGH_GQL_MUTATION;
  if (strcmp (t.value, "subscription") == 0)
    return BOUGH_GQL_SUBSCRIPTION;
  unexpected (p, &t);
}

static BoughGqlNode *
parse_operation_definition (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node = node_at (p, BOUGH_GQL_OPERATION_DEFINITION, &start);

  if (peek (p, BOUGH_GQL_TOKEN_BRACE_L))
    {
      node->operation = BOUGH_GQL_QUERY;
      node->selection_set = parse_selection_set (p);
      return node;
    }
  node->operation = parse_operation_type (p);
  if (peek (p, BOUGH_GQL_TOKEN_NAME))
    parse_name_into (p, node);
  node->variables = parse_variable_definitions (p);
  node->directives = parse_directives (p, FALSE);
  node->selection_set = parse_selection_set (p);
  return node;
}

static BoughGqlNode *
parse_fragment_definition (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node = node_at (p, BOUGH_GQL_FRAGMENT_DEFINITION, &start);

  expect_keyword (p, "fragment");
  if (peek_keyword (p, "on"))
        unexpected (p, tok (p));
      parse_name_into (p, node);
  expect_keyword (p, "on");
  node->type = parse_named_type (p);
  node->directives = parse_directives (p, FALSE);
  node->selection_set = parse_selection_set (p);
  return node;
}

/* Type system */

static BoughGqlNode *
parse_description (Parser *p)
{
  if (peek (p, BOUGH_GQL_TOKEN_STRING) || peek (p, BOUGH_GQL_TOKEN_BLOCK_STRING))
    return parse_value (p, TRUE);
  return NULL;
}

static BoughGqlNode *
parse_input_value_def (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node = node_at (p, BOUGH_GQL_INPUT_VALUE_DEFINITION, &start);

  node->description = parse_description (p);
  parse_name_into (p, node);
  expect_token (p, BOUGH_GQL_TOKEN_COLON);
  node->type = parse_type_reference (p);
  if (expect_optional_token (p, BOUGH_GQL_TOKEN_EQUALS))
    node->value = parse_value (p, TRUE);
  node->directives = parse_directives (p, TRUE);
  return node;
}

/* optionalMany of graphql-js: OPEN item+ CLOSE, or nothing. */
static BoughGqlNode *
parse_optional_many (Parser            *p,
                     BoughGqlTokenKind  open,
                     BoughGqlNode    *(*item) (Parser *),
                     BoughGqlTokenKind  close)
{
  List items = { NULL, NULL };

  if (!expect_optional_token (p, open))
    return NULL;
  do
    list_append (&items, item (p));
  while (!expect_optional_token (p, close));
  return items.head;
}

static BoughGqlNode *
parse_field_definition (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node = node_at (p, BOUGH_GQL_FIELD_DEFINITION, &start);

  node->description = parse_description (p);
  parse_name_into (p, node);
  node->arguments = parse_optional_many (p, BOUGH_GQL_TOKEN_PAREN_L, parse_input_value_def,
                                         BOUGH_GQL_TOKEN_PAREN_R);
  expect_token (p, BOUGH_GQL_TOKEN_COLON);
  node->type = parse_type_reference (p);
  node->directives = parse_directives (p, TRUE);
  return node;
}

/* delimitedMany of graphql-js: an optional leading delimiter, then items
 * separated by it. */
static BoughGqlNode *
parse_delimited_named_types (Parser            *p,
                             BoughGqlTokenKind  delimiter)
{
  List items = { NULL, NULL };

  expect_optional_token (p, delimiter);
  do
    list_append (&items, parse_named_type (p));
  while (expect_optional_token (p, delimiter));
  return items.head;
}

static BoughGqlNode *
parse_implements (Parser *p)
{
  if (expect_optional_keyword (p, "implements"))
    return parse_delimited_named_types (p, BOUGH_GQL_TOKEN_AMP);
  return NULL;
}

static BoughGqlNode *
parse_union_members (Parser *p)
{
  if (expect_optional_token (p, BOUGH_GQL_TOKEN_EQUALS))
    return parse_delimited_named_types (p, BOUGH_GQL_TOKEN_PIPE);
  return NULL;
}

static BoughGqlNode *
parse_operation_type_definition (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node = node_at (p, BOUGH_GQL_OPERATION_TYPE_DEFINITION, &start);

  node->operation = parse_operation_type (p);
  expect_token (p, BOUGH_GQL_TOKEN_COLON);
  node->type = parse_named_type (p);
  return node;
}

static BoughGqlNode *
parse_enum_value_definition (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node = node_at (p, BOUGH_GQL_ENUM_VALUE_DEFINITION, &start);

  node->description = parse_description (p);
  if (peek_keyword (p, "true") || peek_keyword (p, "false") || peek_keyword (p, "null"))
    {
      char *desc = bough_gql_token_describe (tok (p));
      char *msg = g_strdup_printf ("Syntax Error: %s is reserved and cannot be used for an enum value.",
                                   desc);

      g_free (desc);
      fail_at (p, BOUGH_ERROR_PARSE, tok (p)->start, msg);
    }
  parse_name_into (p, node);
  node->directives = parse_directives (p, TRUE);
  return node;
}

static const char * const directive_locations[] = {
  "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
  "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
  "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
  "INPUT_FIELD_DEFINITION",
};

static BoughGqlNode *
parse_directive_location (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *node = parse_named_type (p);

  for (guint i = 0; i < G_N_ELEMENTS (directive_locations); i++)
    if (strcmp (node->name, directive_locations[i]) == 0)
      return node;
  unexpected (p, &start);
}

static BoughGqlNode *
parse_type_system_definition (Parser              *p,
                              const BoughGqlToken *keyword)
{
  BoughGqlToken start = *tok (p);
  BoughGqlNode *description = parse_description (p);
  const char *kw = keyword->value;
  BoughGqlNode *node;

  if (strcmp (kw, "schema") == 0)
    {
      node = node_at (p, BOUGH_GQL_SCHEMA_DEFINITION, &start);
      expect_keyword (p, "schema");
      node->directives = parse_directives (p, TRUE);
      {
        List items = { NULL, NULL };

        expect_token (p, BOUGH_GQL_TOKEN_BRACE_L);
        do
          list_append (&items, parse_operation_type_definition (p));
        while (!expect_optional_token (p, BOUGH_GQL_TOKEN_BRACE_R));
        node->children = items.head;
      }
    }
  else if (strcmp (kw, "scalar") == 0)
    {
      node = node_at (p, BOUGH_GQL_SCALAR_TYPE_DEFINITION, &start);
      expect_keyword (p, "scalar");
      parse_name_into (p, node);
      node->directives = parse_directives (p, TRUE);
    }
  else if (strcmp (kw, "type") == 0 || strcmp (kw, "interface") == 0)
    {
      gboolean is_type = kw[0] == 't';

      node = node_at (p, is_type ? BOUGH_GQL_OBJECT_TYPE_DEFINITION : BOUGH_GQL_INTERFACE_TYPE_DEFINITION,
                      &start);
      expect_keyword (p, kw);
      parse_name_into (p, node);
      node->interfaces = parse_implements (p);
      node->directives = parse_directives (p, TRUE);
      node->children = parse_optional_many (p, BOUGH_GQL_TOKEN_BRACE_L, parse_field_definition,
                                            BOUGH_GQL_TOKEN_BRACE_R);
    }
  else if (strcmp (kw, "union") == 0)
    {
      node = node_at (p, BOUGH_GQL_UNION_TYPE_DEFINITION, &start);
      expect_keyword (p, "union");
      parse_name_into (p, node);
      node->directives = parse_directives (p, TRUE);
      node->interfaces = parse_union_members (p);
    }
  else if (strcmp (kw, "enum") == 0)
    {
      node = node_at (p, BOUGH_GQL_ENUM_TYPE_DEFINITION, &start);
      expect_keyword (p, "enum");
      parse_name_into (p, node);
      node->directives = parse_directives (p, TRUE);
      node->children = parse_optional_many (p, BOUGH_GQL_TOKEN_BRACE_L, parse_enum_value_definition,
                                            BOUGH_GQL_TOKEN_BRACE_R);
    }
  else if (strcmp (kw, "input") == 0)
    {
      node = node_at (p, BOUGH_GQL_INPUT_OBJECT_TYPE_DEFINITION, &start);
      expect_keyword (p, "input");
      parse_name_into (p, node);
      node->directives = parse_directives (p, TRUE);
      node->children = parse_optional_many (p, BOUGH_GQL_TOKEN_BRACE_L, parse_input_value_def,
                                            BOUGH_GQL_TOKEN_BRACE_R);
    }
  else
    {
      g_assert (strcmp (kw, "directive") == 0);
      node = node_at (p, BOUGH_GQL_DIRECTIVE_DEFINITION, &start);
      expect_keyword (p, "directive");
      expect_token (p, BOUGH_GQL_TOKEN_AT);
      parse_name_into (p, node);
      node->arguments = parse_optional_many (p, BOUGH_GQL_TOKEN_PAREN_L, parse_input_value_def,
                                             BOUGH_GQL_TOKEN_PAREN_R);
      node->repeatable = expect_optional_keyword (p, "repeatable");
      expect_keyword (p, "on");
      {
        List items = { NULL, NULL };

        expect_optional_token (p, BOUGH_GQL_TOKEN_PIPE);
        do
          list_append (&items, parse_directive_location (p));
        while (expect_optional_token (p, BOUGH_GQL_TOKEN_PIPE));
        node->locations = items.head;
      }
    }
  node->description = description;
  return node;
}

static BoughGqlNode *
parse_type_system_extension (Parser *p)
{
  BoughGqlToken start = *tok (p);
  BoughGqlToken keyword;
  BoughGqlNode *node;
  const char *kw;

  if (!bough_gql_lexer_lookahead (&p->lexer, &keyword))
    fail_lexer (p);
  if (keyword.kind != BOUGH_GQL_TOKEN_NAME)
    unexpected (p, &keyword);
  kw = keyword.value;

  if (strcmp (kw, "schema") == 0)
    {
      node = node_at (p, BOUGH_GQL_SCHEMA_EXTENSION, &start);
      expect_keyword (p, "extend");
      expect_keyword (p, "schema");
      node->directives = parse_directives (p, TRUE);
      node->children = parse_optional_many (p, BOUGH_GQL_TOKEN_BRACE_L, parse_operation_type_definition,
                                            BOUGH_GQL_TOKEN_BRACE_R);
      if (node->directives == NULL && node->children == NULL)
        unexpected (p, tok (p));
    }
  else if (strcmp (kw, "scalar") == 0)
    {
      node = node_at (p, BOUGH_GQL_SCALAR_TYPE_EXTENSION, &start);
      expect_keyword (p, "extend");
      expect_keyword (p, "scalar");
      parse_name_into (p, node);
      node->directives = parse_directives (p, TRUE);
      if (node->directives == NULL)
        unexpected (p, tok (p));
    }
  else if (strcmp (kw, "type") == 0 || strcmp (kw, "interface") == 0)
    {
      gboolean is_type = kw[0] == 't';

      node = node_at (p, is_type ? BOUGH_GQL_OBJECT_TYPE_EXTENSION : BOUGH_GQL_INTERFACE_TYPE_EXTENSION,
                      &start);
      expect_keyword (p, "extend");
      expect_keyword (p, is_type ? "type" : "interface");
      parse_name_into (p, node);
      node->interfaces = parse_implements (p);
      node->directives = parse_directives (p, TRUE);
      node->children = parse_optional_many (p, BOUGH_GQL_TOKEN_BRACE_L, parse_field_definition,
                                            BOUGH_GQL_TOKEN_BRACE_R);
      if (node->interfaces == NULL && node->directives == NULL && node->children == NULL)
        unexpected (p, tok (p));
    }
  else if (strcmp (kw, "union") == 0)
    {
      node = node_at (p, BOUGH_GQL_UNION_TYPE_EXTENSION, &start);
      expect_keyword (p, "extend");
      expect_keyword (p, "union");
      parse_name_into (p, node);
      node->directives = parse_directives (p, TRUE);
      node->interfaces = parse_union_members (p);
      if (node->directives == NULL && node->interfaces == NULL)
        unexpected (p, tok (p));
    }
  else if (strcmp (kw, "enum") == 0)
    {
      node = node_at (p, BOUGH_GQL_ENUM_TYPE_EXTENSION, &start);
      expect_keyword (p, "extend");
      expect_keyword (p, "enum");
      parse_name_into (p, node);
      node->directives = parse_directives (p, TRUE);
      node->children = parse_optional_many (p, BOUGH_GQL_TOKEN_BRACE_L, parse_enum_value_definition,
                                            BOUGH_GQL_TOKEN_BRACE_R);
      if (node->directives == NULL && node->children == NULL)
        unexpected (p, tok (p));
    }
  else if (strcmp (kw, "input") == 0)
    {
      node = node_at (p, BOUGH_GQL_INPUT_OBJECT_TYPE_EXTENSION, &start);
      expect_keyword (p, "extend");
      expect_keyword (p, "input");
      parse_name_into (p, node);
      node->directives = parse_directives (p, TRUE);
      node->children = parse_optional_many (p, BOUGH_GQL_TOKEN_BRACE_L, parse_input_value_def,
                                            BOUGH_GQL_TOKEN_BRACE_R);
      if (node->directives == NULL && node->children == NULL)
        unexpected (p, tok (p));
    }
  else
    unexpected (p, &keyword);
  return node;
}

static gboolean
is_type_system_keyword (const char *kw)
{
  static const char * const keywords[] = {
    "schema", "scalar", "type", "interface", "union", "enum", "input", "directive",
  };

  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (strcmp (kw, keywords[i]) == 0)
      return TRUE;
  return FALSE;
}

static BoughGqlNode *
parse_definition (Parser *p)
{
  BoughGqlToken keyword;
  gboolean has_description;

  if (peek (p, BOUGH_GQL_TOKEN_BRACE_L))
    return parse_operation_definition (p);

  has_description = peek (p, BOUGH_GQL_TOKEN_STRING) || peek (p, BOUGH_GQL_TOKEN_BLOCK_STRING);
  if (has_description)
    {
      if (!bough_gql_lexer_lookahead (&p->lexer, &keyword))
        fail_lexer (p);
    }
  else
    keyword = *tok (p);

  if (keyword.kind == BOUGH_GQL_TOKEN_NAME)
    {
      if (is_type_system_keyword (keyword.value))
        return parse_type_system_definition (p, &keyword);
      if (has_description)
        syntax_error (p, tok (p)->start,
                      "Unexpected description, descriptions are supported only on type definitions.");
      if (strcmp (keyword.value, "query") == 0 || strcmp (keyword.value, "mutation") == 0 ||
          strcmp (keyword.value, "subscription") == 0)
        return parse_operation_definition (p);
      if (strcmp (keyword.value, "fragment") == 0)
        return parse_fragment_definition (p);
      if (strcmp (keyword.value, "extend") == 0)
        return parse_type_system_extension (p);
    }
  unexpected (p, &keyword);
}

/* UTF-8 validity, with NUL bytes allowed: they are characters the lexer
 * reports like any other unexpected one. */
static gboolean
validate_utf8 (const char  *source,
               gsize        length,
               const char **invalid)
{
  const char *end = source + length;

  while (source < end)
    {
      const char *nul = memchr (source, '\0', end - source);
      gsize chunk = (nul != NULL ? nul : end) - source;

      if (!g_utf8_validate_len (source, chunk, invalid))
        return FALSE;
      source += chunk + 1;
    }
  return TRUE;
}

/* The only function with setjmp: keeps its locals out of the unwinding. */
static gboolean
run_parser (Parser *p)
{
  List defs = { NULL, NULL };

  if (setjmp (p->jump) != 0)
    return FALSE;

  p->root = bough_gql_node_new (p->arena, BOUGH_GQL_DOCUMENT, 1, 1);
  advance (p);
  do
    list_append (&defs, parse_definition (p));
  while (!expect_optional_token (p, BOUGH_GQL_TOKEN_EOF));
  p->root->children = defs.head;
  return TRUE;
}

void
bough_gql_parse_options_init (BoughGqlParseOptions *options)
{
  g_return_if_fail (options != NULL);

  options->max_bytes = BOUGH_GQL_DEFAULT_MAX_BYTES;
  options->max_tokens = BOUGH_GQL_DEFAULT_MAX_TOKENS;
  options->max_depth = BOUGH_GQL_DEFAULT_MAX_DEPTH;
}

/**
 * bough_gql_parse:
 * @source: the document text (UTF-8)
 * @length: its length in bytes, or -1 if nul-terminated
 * @options: (nullable): limits; %NULL for the defaults
 * @error_location: (out) (optional): where the error is (line 0 if none applies)
 * @error: return location for a %BOUGH_ERROR_PARSE or %BOUGH_ERROR_LIMIT error
 *
 * Parses an executable or type-system GraphQL document. Error messages are
 * those of graphql-js ("Syntax Error: Expected Name, found <EOF>.").
 *
 * Returns: (transfer full): the document, or %NULL on error
 */
BoughGqlDocument *
bough_gql_parse (const char                 *source,
                 gssize                      length,
                 const BoughGqlParseOptions *options,
                 BoughGqlLocation           *error_location,
                 GError                    **error)
{
  BoughGqlParseOptions defaults;
  g_autoptr(BoughGqlArena) arena = NULL;
  Parser *p;
  BoughGqlDocument *document;
  const char *invalid = NULL;

  g_return_val_if_fail (source != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      bough_gql_parse_options_init (&defaults);
      options = &defaults;
    }
  if (length < 0)
    length = strlen (source);
  if (error_location != NULL)
    error_location->line = error_location->column = 0;

  if (options->max_bytes > 0 && (gsize) length > options->max_bytes)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT,
                   "Syntax Error: Document is %" G_GSSIZE_FORMAT " bytes, more than the limit of %"
                   G_GSIZE_FORMAT " bytes.", length, options->max_bytes);
      return NULL;
    }

  arena = bough_gql_arena_new ();
  p = g_new0 (Parser, 1);
  p->arena = arena;
  p->options = options;
  p->max_depth = options->max_depth > 0 ? MIN (options->max_depth, BOUGH_GQL_HARD_MAX_DEPTH)
                                        : BOUGH_GQL_HARD_MAX_DEPTH;
  bough_gql_lexer_init (&p->lexer, source, length, arena);

  if (!validate_utf8 (source, length, &invalid))
    {
      bough_gql_lexer_location (&p->lexer, invalid - source, &p->line, &p->column);
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_PARSE,
                   "Syntax Error: Invalid UTF-8 in the document.");
      if (error_location != NULL)
        {
          error_location->line = p->line;
          error_location->column = p->column;
        }
      g_free (p);
      return NULL;
    }

  if (!run_parser (p))
    {
      g_set_error_literal (error, BOUGH_ERROR, p->code, p->message);
      if (error_location != NULL)
        {
          error_location->line = p->line;
          error_location->column = p->column;
        }
      g_free (p->message);
      bough_gql_lexer_clear (&p->lexer);
      g_free (p);
      return NULL;
    }

  document = g_new0 (BoughGqlDocument, 1);
  document->root = p->root;
  document->n_tokens = p->lexer.n_tokens;
  document->arena = g_steal_pointer (&arena);
  bough_gql_lexer_clear (&p->lexer);
  g_free (p);
  return document;
}
