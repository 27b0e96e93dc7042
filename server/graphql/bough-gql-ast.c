/* bough-gql-ast.c: the arena, nodes and error records of the GraphQL core.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql"

#include "config.h"

#include <string.h>

#include "bough-gql-ast.h"

#define ARENA_BLOCK_SIZE (32 * 1024)

typedef struct _ArenaBlock ArenaBlock;

struct _ArenaBlock
{
  ArenaBlock *next;
  gsize size;
  gsize used;
  /* data follows, aligned to 16 by the header size */
};

struct _BoughGqlArena
{
  ArenaBlock *blocks;
};

G_STATIC_ASSERT (sizeof (ArenaBlock) % 8 == 0);

BoughGqlArena *
bough_gql_arena_new (void)
{
  return g_new0 (BoughGqlArena, 1);
}

void
bough_gql_arena_free (BoughGqlArena *arena)
{
  ArenaBlock *block;

  if (arena == NULL)
    return;

  block = arena->blocks;
  while (block != NULL)
    {
      ArenaBlock *next = block->next;

      g_free (block);
      block = next;
    }
  g_free (arena);
}

gpointer
bough_gql_arena_alloc (BoughGqlArena *arena,
                       gsize          size)
{
  ArenaBlock *block;
  gpointer ret;

  g_return_val_if_fail (arena != NULL, NULL);

  size = (size + 7) & ~(gsize) 7;
  block = arena->blocks;
  if (block == NULL || block->size - block->used < size)
    {
      /* Large requests get a block of their own behind the current one, so
       * the current block's free space is not wasted. */
      gsize block_size = MAX (ARENA_BLOCK_SIZE, size);
      ArenaBlock *fresh = g_malloc (sizeof (ArenaBlock) + block_size);

      fresh->size = block_size;
      fresh->used = 0;
      if (block != NULL && size > ARENA_BLOCK_SIZE / 2)
        {
          fresh->next = block->next;
          block->next = fresh;
        }
      else
        {
          fresh->next = block;
          arena->blocks = fresh;
        }
      block = fresh;
    }

  ret = (char *) (block + 1) + block->used;
  block->used += size;
  memset (ret, 0, size);
  return ret;
}

char *
bough_gql_arena_strndup (BoughGqlArena *arena,
                         const char    *str,
                         gsize          len)
{
  char *ret;

  g_return_val_if_fail (arena != NULL, NULL);
  g_return_val_if_fail (str != NULL || len == 0, NULL);

  ret = bough_gql_arena_alloc (arena, len + 1);
  if (len > 0)
    memcpy (ret, str, len);
  ret[len] = '\0';
  return ret;
}

char *
bough_gql_arena_strdup (BoughGqlArena *arena,
                        const char    *str)
{
  if (str == NULL)
    return NULL;
  return bough_gql_arena_strndup (arena, str, strlen (str));
}

BoughGqlError *
bough_gql_error_new (const char *message,
                     guint       line,
                     guint       column)
{
  BoughGqlError *error;

  g_return_val_if_fail (message != NULL, NULL);

  error = g_new0 (BoughGqlError, 1);
  error->message = g_strdup (message);
  error->locations = g_array_new (FALSE, FALSE, sizeof (BoughGqlLocation));
  if (line > 0)
    bough_gql_error_add_location (error, line, column);
  return error;
}

void
bough_gql_error_add_location (BoughGqlError *error,
                              guint          line,
                              guint          column)
{
  BoughGqlLocation loc = { line, column };

  g_return_if_fail (error != NULL);

  g_array_append_val (error->locations, loc);
}

void
bough_gql_error_free (BoughGqlError *error)
{
  if (error == NULL)
    return;
  g_free (error->message);
  g_array_unref (error->locations);
  g_free (error);
}

void
bough_gql_document_free (BoughGqlDocument *document)
{
  if (document == NULL)
    return;
  bough_gql_arena_free (document->arena);
  g_free (document);
}

BoughGqlNode *
bough_gql_node_new (BoughGqlArena *arena,
                    BoughGqlKind   kind,
                    guint          line,
                    guint          column)
{
  BoughGqlNode *node;

  g_return_val_if_fail (arena != NULL, NULL);

  node = bough_gql_arena_alloc (arena, sizeof (BoughGqlNode));
  node->kind = kind;
  node->line = line;
  node->column = column;
  return node;
}

guint
bough_gql_list_length (const BoughGqlNode *list)
{
  guint n = 0;

  for (; list != NULL; list = list->next)
    n++;
  return n;
}

const char *
bough_gql_operation_type_to_string (BoughGqlOperationType operation)
{
  switch (operation)
    {
    case BOUGH_GQL_QUERY:
      return "query";
    case BOUGH_GQL_MUTATION:
      return "mutation";
    case BOUGH_GQL_SUBSCRIPTION:
      return "subscription";
    default:
      g_return_val_if_reached ("query");
    }
}

gboolean
bough_gql_node_is_type_definition (const BoughGqlNode *node)
{
  g_return_val_if_fail (node != NULL, FALSE);

  switch (node->kind)
    {
    case BOUGH_GQL_SCALAR_TYPE_DEFINITION:
    case BOUGH_GQL_OBJECT_TYPE_DEFINITION:
    case BOUGH_GQL_INTERFACE_TYPE_DEFINITION:
    case BOUGH_GQL_UNION_TYPE_DEFINITION:
    case BOUGH_GQL_ENUM_TYPE_DEFINITION:
    case BOUGH_GQL_INPUT_OBJECT_TYPE_DEFINITION:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
bough_gql_node_is_type_extension (const BoughGqlNode *node)
{
  g_return_val_if_fail (node != NULL, FALSE);

  switch (node->kind)
    {
    case BOUGH_GQL_SCALAR_TYPE_EXTENSION:
    case BOUGH_GQL_OBJECT_TYPE_EXTENSION:
    case BOUGH_GQL_INTERFACE_TYPE_EXTENSION:
    case BOUGH_GQL_UNION_TYPE_EXTENSION:
    case BOUGH_GQL_ENUM_TYPE_EXTENSION:
    case BOUGH_GQL_INPUT_OBJECT_TYPE_EXTENSION:
      return TRUE;
    default:
      return FALSE;
    }
}
