/* compiler/main.c: placeholder until the driver lands (owned by the back end). */
int main(void)
{
	return 2;
}
